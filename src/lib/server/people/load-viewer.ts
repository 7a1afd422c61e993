import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { departments, places, studioMembers, userRoles, users } from '../db/schema';
import { placeTrail } from '../places/place-trail';

export { pathIds } from '../places/place-trail';

/** Loads an enabled user as a Viewer; null when missing or disabled. */
export async function loadViewer(db: Db, userId: number): Promise<Viewer | null> {
	const [row] = await db
		.select({
			id: users.id,
			name: users.name,
			username: users.username,
			phone: users.phone,
			place: { id: places.id, kind: places.kind, name: places.name, path: places.path },
			departmentId: users.departmentId,
			departmentName: departments.name,
			departmentCountyId: departments.countyId
		})
		.from(users)
		.innerJoin(places, eq(places.id, users.placeId))
		.leftJoin(departments, eq(departments.id, users.departmentId))
		.where(and(eq(users.id, userId), isNull(users.disabledAt)))
		.limit(1);
	if (!row) return null;
	const [roles, trail, studioRows] = await Promise.all([
		db
			.select({ role: userRoles.role, panelistType: userRoles.panelistType })
			.from(userRoles)
			.where(eq(userRoles.userId, userId)),
		placeTrail(db, row.place.path),
		db.select({ studioId: studioMembers.studioId }).from(studioMembers).where(eq(studioMembers.userId, userId))
	]);
	return {
		id: row.id,
		name: row.name,
		username: row.username,
		phone: row.phone,
		roles,
		place: row.place,
		placeTrail: trail,
		department:
			row.departmentId != null && row.departmentName != null
				? { id: row.departmentId, name: row.departmentName, countyId: row.departmentCountyId ?? undefined }
				: null,
		studioIds: studioRows.map((s) => s.studioId)
	};
}
