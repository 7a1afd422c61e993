import { asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { departments } from '../db/schema';
import { pathIds } from './place-trail';

/** The county the actor belongs to: the first place on their path. */
export function countyIdOf(actor: Viewer): number {
	return pathIds(actor.place.path)[0];
}

/** The departments of the actor's county, in the order they were added. */
export async function listDepartments(db: Db, actor: Viewer) {
	return db
		.select({ id: departments.id, name: departments.name })
		.from(departments)
		.where(eq(departments.countyId, countyIdOf(actor)))
		.orderBy(asc(departments.id));
}
