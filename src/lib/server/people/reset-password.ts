import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { hashPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import type { Db } from '../db';
import { users } from '../db/schema';
import { parseInput } from '../validation';
import { passwordSchema } from './rules';
import { assertAdmin, idOf, lockUserInScope } from './scope';

export const resetPasswordInput = z.object({ password: passwordSchema });

export interface ResetPasswordOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * Sets a new password chosen by the admin and ends every session of the person, so whoever held
 * the old password is signed out everywhere.
 */
export async function resetPassword(db: Db, actor: Viewer, raw: unknown, options: ResetPasswordOptions = {}) {
	const { ip } = options;
	assertAdmin(actor);
	const id = idOf(raw);
	const { password } = parseInput(resetPasswordInput, raw);
	const passwordHash = await hashPassword(password);
	await db.transaction(async (tx) => {
		await lockUserInScope(tx, actor, id);
		await tx.update(users).set({ passwordHash }).where(eq(users.id, id));
		await invalidateUserSessions(tx, id);
		await recordAudit(tx, { action: 'user.password_reset', actorId: actor.id, subjectType: 'user', subjectId: id, ip, data: {} });
	});
}
