import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import { verifyOneTimeCode } from '../auth/one-time-code';
import type { RateLimitRule } from '../auth/rate-limit';
import type { Db } from '../db';
import { signingCodes, signingInvitations } from '../db/schema';
import { loadInvitation } from './signing-invitation';
import { hashCode, hashToken } from './tokens';

/** Wrong codes per invitation: five guesses in a million per quarter hour. */
export const CODE_TRY_PER_INVITATION: RateLimitRule = { name: 'sign-code-try', max: 5, windowMs: 15 * 60_000 };
export const CODE_TRY_PER_ADDRESS: RateLimitRule = { name: 'sign-code-try-address', max: 30, windowMs: 15 * 60_000 };
/** How long a verified signer may take to read and sign. */
export const GRANT_TTL_MS = 30 * 60_000;

export interface VerifySigningCodeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Checks a one-time code for a signing invitation (auth/one-time-code.ts: both budgets counted before
 * comparing, only the newest code, unused and unexpired). Success marks it used and returns a fresh
 * signing grant (its hash stored on the invitation) for the browser to keep in a cookie.
 */
export async function verifySigningCode(db: Db, token: unknown, rawCode: unknown, ip: string, options: VerifySigningCodeOptions = {}): Promise<{ grant: string; expiresAt: Date }> {
	const { now = new Date() } = options;
	const inv = await loadInvitation(db, token);
	return verifyOneTimeCode(db, rawCode, {
		ip,
		now,
		perLink: CODE_TRY_PER_INVITATION,
		perAddress: CODE_TRY_PER_ADDRESS,
		key: String(inv.invitationId),
		audit: (tx, reason) =>
			recordAudit(tx, { action: 'agreement.code_failed', actorId: null, subjectType: 'agreement', subjectId: inv.agreementId, ip, data: { invitationId: inv.invitationId, reason } }),
		stored: async () => {
			const [latest] = await db
				.select()
				.from(signingCodes)
				.where(eq(signingCodes.invitationId, inv.invitationId))
				.orderBy(desc(signingCodes.createdAt), desc(signingCodes.id))
				.limit(1);
			return latest ?? null;
		},
		hashCode: (code) => hashCode(inv.invitationId, code),
		grantExpiresAt: new Date(now.getTime() + GRANT_TTL_MS),
		claim: (latest, grant, expiresAt) =>
			db.transaction(async (tx) => {
				const used = await tx
					.update(signingCodes)
					.set({ usedAt: now })
					.where(and(eq(signingCodes.id, latest.id), isNull(signingCodes.usedAt)))
					.returning({ id: signingCodes.id });
				if (used.length === 0) return false;
				await tx.update(signingInvitations).set({ grantHash: hashToken(grant), grantExpiresAt: expiresAt }).where(eq(signingInvitations.id, inv.invitationId));
				return true;
			})
	});
}
