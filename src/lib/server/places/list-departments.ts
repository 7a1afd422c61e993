import { asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { departments } from '../db/schema';
import { countyIdOfPlace } from './rules';

/** The county the actor belongs to (above the county, their own city or province). */
export function countyIdOf(actor: Viewer): number {
	return countyIdOfPlace(actor.place);
}

/** The departments of the actor's county, in the order they were added. */
export async function listDepartments(db: Db, actor: Viewer) {
	return db
		.select({ id: departments.id, name: departments.name })
		.from(departments)
		.where(eq(departments.countyId, countyIdOf(actor)))
		.orderBy(asc(departments.id));
}
