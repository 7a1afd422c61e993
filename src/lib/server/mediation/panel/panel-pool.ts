import { and, asc, eq, ilike, inArray, isNull, like, ne, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { caseParties, panelMembers, places, userRoles, users } from '../../db/schema';
import { panelistType } from '../../db/schema/people';
import { pathIds } from '../../places/place-trail';
import type { PanelMemberType } from './rules';

/** Someone who may be invited onto a case's panel, as one of the kinds they are. */
export interface PoolEntry {
	userId: number;
	name: string;
	memberType: PanelMemberType;
	/** Where they live or work, below the county, e.g. ["虬津镇", "虬津村"]. */
	placeTrail: string[];
}

export interface PoolFilter {
	memberType?: PanelMemberType;
	userId?: number;
	/** Part of a name. */
	name?: string;
	/** Leave out people already sitting on this case's panel (the pool list does; an invitation checks that itself). */
	excludeMembers?: boolean;
	limit?: number;
}

const PANELIST_TYPES: readonly string[] = panelistType.enumValues;

/**
 * The pool a panel draws on: enabled panelists (by their panelist type), legal advisers and
 * legal-literate villagers from anywhere in the case's county. Panels bring in outsiders, so
 * the place is not limited to the case's own township. The case's own parties and its assigned
 * mediator never sit on it (a mediator cannot be a third party to their own mediation).
 */
export async function panelPool(
	db: Db | Tx,
	c: { id: number; countyId: number; mediatorId: number | null },
	filter: PoolFilter = {}
): Promise<PoolEntry[]> {
	const conditions: (SQL | undefined)[] = [
		isNull(users.disabledAt),
		like(places.path, `/${c.countyId}/%`),
		sql`not exists (select 1 from ${caseParties} where ${caseParties.caseId} = ${c.id} and ${caseParties.userId} = ${users.id})`,
		c.mediatorId === null ? undefined : ne(users.id, c.mediatorId),
		filter.userId === undefined ? undefined : eq(users.id, filter.userId),
		filter.name ? ilike(users.name, `%${filter.name.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`) : undefined,
		filter.excludeMembers
			? sql`not exists (select 1 from ${panelMembers} where ${panelMembers.caseId} = ${c.id} and ${panelMembers.userId} = ${users.id} and ${panelMembers.removedAt} is null)`
			: undefined
	];
	const type = filter.memberType;
	if (type === undefined) {
		conditions.push(inArray(userRoles.role, ['panelist', 'legal_advisor', 'legal_villager']));
	} else if (PANELIST_TYPES.includes(type)) {
		conditions.push(and(eq(userRoles.role, 'panelist'), sql`${userRoles.panelistType} = ${type}`));
	} else {
		conditions.push(eq(userRoles.role, type as 'legal_advisor' | 'legal_villager'));
	}
	const rows = await db
		.select({ userId: users.id, name: users.name, role: userRoles.role, panelistType: userRoles.panelistType, path: places.path })
		.from(users)
		.innerJoin(userRoles, eq(userRoles.userId, users.id))
		.innerJoin(places, eq(places.id, users.placeId))
		.where(and(...conditions))
		.orderBy(asc(userRoles.role), asc(userRoles.panelistType), asc(places.path), asc(users.name), asc(users.id))
		.limit(filter.limit ?? 200);
	const names = await placeNames(db, rows.map((r) => r.path));
	return rows.map((r) => ({
		userId: r.userId,
		name: r.name,
		memberType: (r.role === 'panelist' ? r.panelistType : r.role) as PanelMemberType,
		placeTrail: pathIds(r.path)
			.slice(1)
			.map((id) => names.get(id) ?? '')
	}));
}

/** Names of every place on the given paths, in one query. */
export async function placeNames(db: Db | Tx, paths: string[]): Promise<Map<number, string>> {
	const ids = [...new Set(paths.flatMap(pathIds))];
	if (ids.length === 0) return new Map();
	const rows = await db.select({ id: places.id, name: places.name }).from(places).where(inArray(places.id, ids));
	return new Map(rows.map((p) => [p.id, p.name]));
}
