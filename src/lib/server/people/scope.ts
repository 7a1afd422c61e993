import { and, eq, like } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { places, users } from '../db/schema';
import { AppError } from '../errors';
import { isAdmin, isStaff } from './rules';

/**
 * Scope checks shared by the admin and directory use cases. An actor sees their own place and
 * everything below it (`path` prefix). Whatever lies outside is reported exactly like something
 * that does not exist, so ids cannot be probed.
 */

const INT_MAX = 2_147_483_647;

export function assertAdmin(actor: Viewer): void {
	if (!isAdmin(actor)) throw new AppError('forbidden');
}

export function assertStaff(actor: Viewer): void {
	if (!isStaff(actor)) throw new AppError('forbidden');
}

/** The `path` pattern of the actor's subtree. Paths hold only digits and slashes: no LIKE wildcards. */
export function scopePattern(actor: Viewer): string {
	return `${actor.place.path}%`;
}

export function inScope(actor: Viewer, placePath: string): boolean {
	return placePath.startsWith(actor.place.path);
}

/** A record id from a URL or form; anything that cannot be one is simply not found. */
export function idOf(raw: unknown): number {
	const value = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : raw;
	const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
	if (!Number.isInteger(id) || id < 1 || id > INT_MAX) throw new AppError('not_found');
	return id;
}

/**
 * Locks a person's row for a change, looking them up only within the actor's subtree: a person
 * elsewhere is `not_found`, the same as a missing one.
 */
export async function lockUserInScope(tx: Db | Tx, actor: Viewer, id: number) {
	const [row] = await tx
		.select({
			id: users.id,
			name: users.name,
			username: users.username,
			phone: users.phone,
			placeId: users.placeId,
			departmentId: users.departmentId,
			disabledAt: users.disabledAt
		})
		.from(users)
		.innerJoin(places, eq(places.id, users.placeId))
		.where(and(eq(users.id, id), like(places.path, scopePattern(actor))))
		.for('update', { of: users })
		.limit(1);
	if (!row) throw new AppError('not_found');
	return row;
}
