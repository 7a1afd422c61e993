import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { dutyRoster, receptionRequests } from '../db/schema';
import { AppError } from '../errors';
import { RECEPTION_ROLES } from './rules';

/**
 * The reception requests a viewer may see and handle, as one SQL condition (the same "scope
 * everywhere" rule as cases):
 * - area staff at the county see every request of the county; at a township, that township's;
 * - a county department's members see the requests for the reception centre (no township) whose
 *   preferred sitting their department is on the joint reception roster for (联合接访).
 * Villages take no receptions. Anyone else sees none, so an id outside this is "not found".
 */
export function receptionVisibility(viewer: Viewer): SQL {
	const conditions: SQL[] = [];
	const staff = viewer.roles.some((r) => (RECEPTION_ROLES as readonly string[]).includes(r.role));
	if (staff && viewer.place.kind === 'county') conditions.push(eq(receptionRequests.countyId, viewer.place.id));
	if (staff && viewer.place.kind === 'township') conditions.push(eq(receptionRequests.townshipId, viewer.place.id));
	if (viewer.department && viewer.roles.some((r) => r.role !== 'party')) {
		conditions.push(
			and(
				isNull(receptionRequests.townshipId),
				sql`exists (select 1 from ${dutyRoster} where ${and(
					eq(dutyRoster.departmentId, viewer.department.id),
					eq(dutyRoster.countyId, receptionRequests.countyId),
					eq(dutyRoster.dutyDate, receptionRequests.preferredDate),
					eq(dutyRoster.halfDay, receptionRequests.preferredHalfDay)
				)})`
			)!
		);
	}
	return conditions.length === 0 ? sql`false` : conditions.length === 1 ? conditions[0] : sql`(${sql.join(conditions, sql` or `)})`;
}

/** A request id from a route or form; anything else is "not found". */
export function receptionIdOf(raw: unknown): number {
	const s = typeof raw === 'number' ? String(raw) : raw;
	if (typeof s !== 'string' || !/^\d{1,12}$/.test(s)) throw new AppError('not_found');
	return Number(s);
}

/** The request among those the viewer may see (locked for update when `lock`), or `not_found`. */
export async function requestInScope(db: Db | Tx, viewer: Viewer, id: number, lock = false) {
	const query = db
		.select()
		.from(receptionRequests)
		.where(and(eq(receptionRequests.id, id), receptionVisibility(viewer)))
		.limit(1);
	const [row] = lock ? await query.for('update') : await query;
	if (!row) throw new AppError('not_found');
	return row;
}
