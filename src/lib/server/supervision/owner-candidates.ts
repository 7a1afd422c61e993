import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { RoleName } from '../../types';
import type { Db, Tx } from '../db';
import { places, userRoles, users } from '../db/schema';
import { OWNER_ROLES } from './rules';

/** Someone who may be named owner of a supervision order on a case. */
export interface OwnerCandidate {
	id: number;
	name: string;
	placeName: string;
	roles: RoleName[];
}

/** The area fields of a case that decide who may own an order on it. */
export interface CaseArea {
	countyId: number;
	townshipId: number | null;
	villageId: number | null;
	mediatorId: number | null;
}

/**
 * Enabled mediators and supervisors working at the place the matter arose in or above it (its village,
 * township or county: the staff whose area holds it), plus its assigned mediator wherever they sit.
 * With `onlyId`, the answer says whether that one person qualifies. Seeing the case is checked
 * separately with the owner's own scope, by the use case that names them.
 */
export async function ownerCandidates(db: Db | Tx, area: CaseArea, onlyId?: number): Promise<OwnerCandidate[]> {
	const areaPlaces = [area.countyId, area.townshipId, area.villageId].filter((id): id is number => id != null);
	const rows = await db
		.select({ id: users.id, name: users.name, placeName: places.name, role: userRoles.role })
		.from(users)
		.innerJoin(userRoles, eq(userRoles.userId, users.id))
		.innerJoin(places, eq(places.id, users.placeId))
		.where(
			and(
				isNull(users.disabledAt),
				inArray(userRoles.role, [...OWNER_ROLES]),
				or(inArray(users.placeId, areaPlaces), area.mediatorId != null ? eq(users.id, area.mediatorId) : undefined),
				onlyId != null ? eq(users.id, onlyId) : undefined
			)
		)
		// The nearest level first: village staff, then township, then county.
		.orderBy(desc(sql`length(${places.path})`), asc(users.name), asc(users.id));
	const byId = new Map<number, OwnerCandidate>();
	for (const r of rows) {
		const c = byId.get(r.id) ?? { id: r.id, name: r.name, placeName: r.placeName, roles: [] };
		c.roles.push(r.role);
		byId.set(r.id, c);
	}
	return [...byId.values()];
}
