import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import { verifyOneTimeCode } from '../auth/one-time-code';
import type { RateLimitRule } from '../auth/rate-limit';
import { hashCode, hashToken } from '../agreements/tokens';
import type { Db } from '../db';
import { callInvitations } from '../db/schema';
import { CALL_GRANT_TTL_MS, loadCallInvitation } from './call-link';

export const CALL_CODE_TRY_PER_INVITATION: RateLimitRule = { name: 'call-code-try', max: 5, windowMs: 15 * 60_000 };
export const CALL_CODE_TRY_PER_ADDRESS: RateLimitRule = { name: 'call-code-try-address', max: 30, windowMs: 15 * 60_000 };

export interface VerifyCallCodeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Checks a call link's one-time code the way the signing link does (auth/one-time-code.ts): both
 * budgets counted before comparing, refunded on success; only the newest code (the one on the
 * invitation), unused and unexpired. Success claims the code with a conditional update and returns a
 * grant (its hash on the invitation) for the `pingli_call` cookie, which the call socket's upgrade carries.
 */
export async function verifyCallCode(db: Db, token: unknown, rawCode: unknown, ip: string, options: VerifyCallCodeOptions = {}): Promise<{ grant: string; expiresAt: Date }> {
	const { now = new Date() } = options;
	const inv = await loadCallInvitation(db, token, { now });
	const codeHash = inv.codeHash;
	return verifyOneTimeCode(db, rawCode, {
		ip,
		now,
		perLink: CALL_CODE_TRY_PER_INVITATION,
		perAddress: CALL_CODE_TRY_PER_ADDRESS,
		key: String(inv.invitationId),
		audit: (tx, reason) =>
			recordAudit(tx, { action: 'call.code_failed', actorId: null, subjectType: 'mediation_session', subjectId: inv.sessionId, ip, data: { invitationId: inv.invitationId, reason } }),
		stored: async () => (codeHash ? { codeHash, usedAt: inv.codeUsedAt, expiresAt: inv.codeExpiresAt ?? new Date(0) } : null),
		hashCode: (code) => hashCode(inv.invitationId, code),
		// The grant never outlives the link.
		grantExpiresAt: new Date(Math.min(now.getTime() + CALL_GRANT_TTL_MS, inv.expiresAt.getTime())),
		async claim(code, grant, expiresAt) {
			const claimed = await db
				.update(callInvitations)
				.set({ codeUsedAt: now, grantHash: hashToken(grant), grantExpiresAt: expiresAt })
				.where(and(eq(callInvitations.id, inv.invitationId), eq(callInvitations.codeHash, code.codeHash), isNull(callInvitations.codeUsedAt)))
				.returning({ id: callInvitations.id });
			return claimed.length > 0;
		}
	});
}
