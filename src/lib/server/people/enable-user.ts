import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { users } from '../db/schema';
import { assertAdmin, idOf, lockUserInScope } from './scope';

export interface EnableUserOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Lets a disabled account sign in again (with its existing password). */
export async function enableUser(db: Db, actor: Viewer, raw: unknown, options: EnableUserOptions = {}) {
	const { ip } = options;
	assertAdmin(actor);
	const id = idOf(raw);
	await db.transaction(async (tx) => {
		const current = await lockUserInScope(tx, actor, id);
		if (!current.disabledAt) return;
		await tx.update(users).set({ disabledAt: null }).where(eq(users.id, id));
		await recordAudit(tx, { action: 'user.enable', actorId: actor.id, subjectType: 'user', subjectId: id, ip, data: {} });
	});
}
