import { and, count, eq, exists, ilike, inArray, isNull, like, ne, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { PanelistType, PlaceKind, RoleName } from '../../types';
import type { Db } from '../db';
import { departments, places, userRoles, users } from '../db/schema';

/** A search from a URL: a bad page number is page 1, not an error. */
export const peopleQuery = z.object({
	q: z
		.string()
		.optional()
		.catch(undefined)
		.transform((s) => (s ?? '').normalize('NFKC').trim().slice(0, 60)),
	page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1)
});
export type PeopleQuery = z.input<typeof peopleQuery>;

/** One line of a people list. */
export interface PersonRow {
	id: number;
	name: string;
	username: string | null;
	phone: string | null;
	disabled: boolean;
	place: { id: number; name: string; kind: PlaceKind };
	department: string | null;
	roles: { role: RoleName; panelistType: PanelistType | null }[];
}

export interface PeoplePage<Row = PersonRow> {
	items: Row[];
	q: string;
	total: number;
	page: number;
	pages: number;
	pageSize: number;
}

export interface FindPeopleOptions {
	/** `path` prefix of the subtree to list, e.g. `/1/4/`. */
	scopePath: string;
	q: string;
	page: number;
	pageSize: number;
	/** Leave out people whose only role is party. */
	staffOnly?: boolean;
	enabledOnly?: boolean;
	/** Match the query against phone numbers too (only where phones are shown in full). */
	searchPhone?: boolean;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/** People in a subtree, a page at a time, ordered by place and name. Callers check the actor's rights. */
export async function findPeople(db: Db, options: FindPeopleOptions): Promise<PeoplePage> {
	const where: (SQL | undefined)[] = [like(places.path, `${options.scopePath}%`)];
	if (options.enabledOnly) where.push(isNull(users.disabledAt));
	if (options.staffOnly) {
		where.push(
			exists(
				db
					.select({ one: sql`1` })
					.from(userRoles)
					.where(and(eq(userRoles.userId, users.id), ne(userRoles.role, 'party')))
			)
		);
	}
	if (options.q) {
		const pattern = `%${escapeLike(options.q)}%`;
		const digits = options.q.replace(/[\s-]/g, '');
		where.push(
			or(
				ilike(users.name, pattern),
				ilike(users.username, pattern),
				options.searchPhone && /^\d{3,11}$/.test(digits) ? like(users.phone, `%${digits}%`) : undefined
			)
		);
	}
	const condition = and(...where);

	const [{ total }] = await db
		.select({ total: count() })
		.from(users)
		.innerJoin(places, eq(places.id, users.placeId))
		.where(condition);
	const pages = Math.max(1, Math.ceil(total / options.pageSize));
	const page = Math.min(options.page, pages);

	const rows = await db
		.select({
			id: users.id,
			name: users.name,
			username: users.username,
			phone: users.phone,
			disabledAt: users.disabledAt,
			place: { id: places.id, name: places.name, kind: places.kind },
			department: departments.name
		})
		.from(users)
		.innerJoin(places, eq(places.id, users.placeId))
		.leftJoin(departments, eq(departments.id, users.departmentId))
		.where(condition)
		.orderBy(places.path, users.name, users.id)
		.limit(options.pageSize)
		.offset((page - 1) * options.pageSize);

	const roles = await rolesOf(db, rows.map((r) => r.id));
	return {
		items: rows.map(({ disabledAt, ...r }) => ({ ...r, disabled: disabledAt != null, roles: roles.get(r.id) ?? [] })),
		q: options.q,
		total,
		page,
		pages,
		pageSize: options.pageSize
	};
}

/** Roles of several people at once, in the enum's order. */
export async function rolesOf(db: Db, ids: number[]) {
	const byUser = new Map<number, { role: RoleName; panelistType: PanelistType | null }[]>();
	if (ids.length === 0) return byUser;
	const rows = await db
		.select({ userId: userRoles.userId, role: userRoles.role, panelistType: userRoles.panelistType })
		.from(userRoles)
		.where(inArray(userRoles.userId, ids))
		.orderBy(userRoles.userId, userRoles.role);
	for (const { userId, ...role } of rows) {
		const list = byUser.get(userId) ?? [];
		list.push(role);
		byUser.set(userId, list);
	}
	return byUser;
}
