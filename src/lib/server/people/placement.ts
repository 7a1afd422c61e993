import { and, eq } from 'drizzle-orm';
import type { PlaceKind, Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { departments, places } from '../db/schema';
import { AppError } from '../errors';
import { countyIdOfPlace } from '../places/rules';

/**
 * The place a person is to be attached to, looked up only within the actor's subtree (`actor: null`
 * is setup code). A place elsewhere gets the same field error as one that does not exist.
 */
export async function placeForPerson(tx: Db | Tx, actor: Viewer | null, placeId: number) {
	const [place] = await tx.select({ id: places.id, kind: places.kind, path: places.path }).from(places).where(eq(places.id, placeId)).limit(1);
	if (!place || (actor && !place.path.startsWith(actor.place.path))) throw new AppError('invalid', { placeId: 'err_place_not_found' });
	return place;
}

/** Checks that a department belongs to the county the place is in (above the county: to that city or province). */
export async function assertDepartmentOfCounty(tx: Db | Tx, departmentId: number, place: { id: number; kind: PlaceKind; path: string }) {
	const [dept] = await tx
		.select({ id: departments.id })
		.from(departments)
		.where(and(eq(departments.id, departmentId), eq(departments.countyId, countyIdOfPlace(place))))
		.limit(1);
	if (!dept) throw new AppError('invalid', { departmentId: 'err_department_not_found' });
}
