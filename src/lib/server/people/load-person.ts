import { and, eq, like } from 'drizzle-orm';
import type { PanelistType, PlaceKind, RoleName } from '../../types';
import type { Db } from '../db';
import { departments, places, users } from '../db/schema';
import { placeTrail } from '../places/place-trail';
import { rolesOf } from './find-people';

/** Everything about one person that an admin form or a directory page might show. */
export interface PersonDetail {
	id: number;
	name: string;
	username: string | null;
	phone: string | null;
	disabledAt: Date | null;
	createdAt: Date;
	place: { id: number; name: string; kind: PlaceKind };
	/** Names from the county down to the person's place. */
	placeTrail: string[];
	department: { id: number; name: string } | null;
	roles: { role: RoleName; panelistType: PanelistType | null }[];
}

/** One person, looked up only within the subtree of `scopePath`; null when missing or outside it. */
export async function loadPerson(db: Db, scopePath: string, id: number): Promise<PersonDetail | null> {
	const [row] = await db
		.select({
			id: users.id,
			name: users.name,
			username: users.username,
			phone: users.phone,
			disabledAt: users.disabledAt,
			createdAt: users.createdAt,
			place: { id: places.id, name: places.name, kind: places.kind, path: places.path },
			departmentId: users.departmentId,
			departmentName: departments.name
		})
		.from(users)
		.innerJoin(places, eq(places.id, users.placeId))
		.leftJoin(departments, eq(departments.id, users.departmentId))
		.where(and(eq(users.id, id), like(places.path, `${scopePath}%`)))
		.limit(1);
	if (!row) return null;
	const [roles, trail] = await Promise.all([rolesOf(db, [row.id]), placeTrail(db, row.place.path)]);
	const { departmentId, departmentName, place, ...rest } = row;
	return {
		...rest,
		place: { id: place.id, name: place.name, kind: place.kind },
		placeTrail: trail,
		department: departmentId != null && departmentName != null ? { id: departmentId, name: departmentName } : null,
		roles: roles.get(row.id) ?? []
	};
}
