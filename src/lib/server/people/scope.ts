import { and, eq, like } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { places, users } from '../db/schema';
import { AppError } from '../errors';
import { scopePattern } from '../places/rules';

export { assertAdmin, assertStaff } from '../auth/roles';
export { inScope, scopePattern } from '../places/rules';
export { idOf } from '../validation';

/**
 * Scope checks shared by the admin and directory use cases. An actor sees their own place and
 * everything below it (`path` prefix). Whatever lies outside is reported exactly like something
 * that does not exist, so ids cannot be probed. The role checks (`auth/roles.ts`), the path test
 * (`places/rules.ts`) and the id parser (`validation.ts`) live lower down, where the places area
 * reaches them too, and are handed on from here.
 */

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
