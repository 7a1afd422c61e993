import { asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { departments } from '../db/schema';
import { countyIdOf } from '../roster/rules';

/** The county's departments, for the meeting and decision forms. */
export function countyDepartments(db: Db, actor: Viewer): Promise<{ id: number; name: string }[]> {
	return db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.countyId, countyIdOf(actor))).orderBy(asc(departments.id));
}
