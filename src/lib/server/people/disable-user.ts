import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { invalidateUserSessions } from '../auth/session';
import type { Db } from '../db';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { assertAdmin, idOf, lockUserInScope } from './scope';

export interface DisableUserOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * Disables an account and ends all its sessions in the same transaction, so no request can slip
 * through on an old cookie once the change is committed. An admin cannot disable themselves.
 */
export async function disableUser(db: Db, actor: Viewer, raw: unknown, options: DisableUserOptions = {}) {
	const { ip } = options;
	assertAdmin(actor);
	const id = idOf(raw);
	if (id === actor.id) throw new AppError('invalid', { _: 'err_admin_self_disable' });
	await db.transaction(async (tx) => {
		const current = await lockUserInScope(tx, actor, id);
		// Sessions go even when the account was already disabled: cheap, and never wrong.
		await invalidateUserSessions(tx, id);
		if (current.disabledAt) return;
		await tx.update(users).set({ disabledAt: new Date() }).where(eq(users.id, id));
		await recordAudit(tx, { action: 'user.disable', actorId: actor.id, subjectType: 'user', subjectId: id, ip, data: {} });
	});
}
