import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, RateLimitedError, takeAll, type RateLimitRule } from '../auth/rate-limit';
import type { Db } from '../db';
import { signingCodes, signingInvitations } from '../db/schema';
import { AppError } from '../errors';
import { loadInvitation } from './signing-invitation';
import { hashCode, hashToken, randomToken } from './tokens';

/** Wrong codes per invitation: five guesses in a million per quarter hour. */
export const CODE_TRY_PER_INVITATION: RateLimitRule = { name: 'sign-code-try', max: 5, windowMs: 15 * 60_000 };
export const CODE_TRY_PER_ADDRESS: RateLimitRule = { name: 'sign-code-try-address', max: 30, windowMs: 15 * 60_000 };
/** How long a verified signer may take to read and sign. */
export const GRANT_TTL_MS = 30 * 60_000;

type Failure = 'wrong' | 'expired' | 'used' | 'rate_limited';
const MESSAGE: Record<Failure, string> = {
	wrong: 'err_sign_code_wrong',
	expired: 'err_sign_code_expired',
	used: 'err_sign_code_used',
	rate_limited: 'sec_sign_code_limited'
};

/**
 * Checks a one-time code for an invitation, following the rate-limit pattern: count the attempt in
 * both budgets → cheap validation → compare → refund and reset on success. Only the newest code counts;
 * it must be unused and unexpired. Success marks it used and returns a fresh signing grant (its hash
 * stored on the invitation) for the browser to keep in a cookie.
 */
export async function verifySigningCode(db: Db, token: unknown, rawCode: unknown, ip: string, now = new Date()): Promise<{ grant: string; expiresAt: Date }> {
	const inv = await loadInvitation(db, token);
	const perInvitation = dbRateLimiter(db, CODE_TRY_PER_INVITATION);
	const perAddress = dbRateLimiter(db, CODE_TRY_PER_ADDRESS);
	const key = String(inv.invitationId);
	const fail = async (reason: Failure, retryAfterMs = 0): Promise<never> => {
		await db.transaction((tx) =>
			recordAudit(tx, { action: 'agreement.code_failed', actorId: null, subjectType: 'agreement', subjectId: inv.agreementId, ip, data: { invitationId: inv.invitationId, reason } })
		);
		if (reason === 'rate_limited') throw new RateLimitedError(retryAfterMs, { code: MESSAGE[reason] });
		throw new AppError('invalid', { code: MESSAGE[reason] });
	};
	// Counted before the code is compared (refunded on success), so parallel guesses cannot all be tried.
	let refund: () => Promise<void>;
	try {
		refund = await takeAll([
			[perAddress, ip],
			[perInvitation, key]
		]);
	} catch (err) {
		if (err instanceof RateLimitedError) return fail('rate_limited', err.retryAfterMs);
		throw err;
	}
	const code = typeof rawCode === 'string' ? rawCode.normalize('NFKC').replace(/\s/g, '') : '';
	if (!/^\d{6}$/.test(code)) return fail('wrong');
	const [latest] = await db
		.select()
		.from(signingCodes)
		.where(eq(signingCodes.invitationId, inv.invitationId))
		.orderBy(desc(signingCodes.createdAt), desc(signingCodes.id))
		.limit(1);
	if (!latest || latest.codeHash !== hashCode(inv.invitationId, code)) return fail('wrong');
	if (latest.usedAt) return fail('used');
	if (latest.expiresAt <= now) return fail('expired');
	const grant = randomToken();
	const expiresAt = new Date(now.getTime() + GRANT_TTL_MS);
	const claimed = await db.transaction(async (tx) => {
		// Claimed with a conditional update, so two submissions of one code cannot both succeed.
		const used = await tx
			.update(signingCodes)
			.set({ usedAt: now })
			.where(and(eq(signingCodes.id, latest.id), isNull(signingCodes.usedAt)))
			.returning({ usedAt: signingCodes.usedAt });
		if (used.length === 0) return false;
		await tx.update(signingInvitations).set({ grantHash: hashToken(grant), grantExpiresAt: expiresAt }).where(eq(signingInvitations.id, inv.invitationId));
		return true;
	});
	if (!claimed) return fail('used');
	await refund();
	await perInvitation.reset(key);
	return { grant, expiresAt };
}
