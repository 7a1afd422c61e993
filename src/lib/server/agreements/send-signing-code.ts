import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, takeAll, type RateLimitRule } from '../auth/rate-limit';
import type { Db } from '../db';
import { agreements, signingCodes } from '../db/schema';
import { AppError } from '../errors';
import { eq } from 'drizzle-orm';
import { loadInvitation, signedInForce } from './signing-invitation';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import { hashCode, randomCode } from './tokens';

/** How long a one-time code lasts. */
export const CODE_TTL_MS = 10 * 60_000;
/** Codes sent per invitation and per address: enough to retry, too few to flood a phone. */
export const CODE_SEND_PER_INVITATION: RateLimitRule = { name: 'sign-code-send', max: 3, windowMs: 15 * 60_000 };
export const CODE_SEND_PER_ADDRESS: RateLimitRule = { name: 'sign-code-send-address', max: 20, windowMs: 15 * 60_000 };

export interface SendSigningCodeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Sends the text messages (tests pass a fake). */
	sender?: SmsSender;
}

/**
 * Texts a fresh 6-digit code to the invited party's phone on file: to sign the frozen agreement, or,
 * once it is in force, to download the party's own copy. A new code replaces the earlier ones (only
 * the newest is accepted). The code is stored hashed; the audit row records that a code
 * was sent and by which sender, never the code.
 */
export async function sendSigningCode(db: Db, token: unknown, ip: string, options: SendSigningCodeOptions = {}): Promise<{ phoneTail: string }> {
	const { now = new Date(), sender = smsSender() } = options;
	const inv = await loadInvitation(db, token);
	const [agreement] = await db.select({ status: agreements.status }).from(agreements).where(eq(agreements.id, inv.agreementId));
	// A code opens signing while the agreement is frozen, and the party's own copy once it is in force.
	if (agreement.status === 'draft') throw new AppError('conflict', { _: 'err_sign_not_ready' });
	if (agreement.status !== 'frozen' && !(await signedInForce(db, inv))) throw new AppError('conflict', { _: 'err_sign_closed' });
	if (!inv.phone) throw new AppError('conflict', { _: 'err_sign_no_phone' });
	if (sender.unavailable) throw new AppError('unavailable', { _: sender.unavailable });
	await takeAll(
		[
			[dbRateLimiter(db, CODE_SEND_PER_ADDRESS), ip],
			[dbRateLimiter(db, CODE_SEND_PER_INVITATION), String(inv.invitationId)]
		],
		{ _: 'sec_sign_code_send_limited' }
	);
	const code = randomCode();
	await db.transaction(async (tx) => {
		await tx.insert(signingCodes).values({ invitationId: inv.invitationId, codeHash: hashCode(inv.invitationId, code), createdAt: now, expiresAt: new Date(now.getTime() + CODE_TTL_MS) });
		await recordAudit(tx, {
			action: 'agreement.code_sent',
			actorId: null,
			subjectType: 'agreement',
			subjectId: inv.agreementId,
			ip,
			data: { caseId: inv.caseId, invitationId: inv.invitationId, partyId: inv.partyId, sender: sender.name }
		});
	});
	// After the commit: a provider's message cannot be called back. A failure reaches the party as a
	// clear "not sent, try again"; the stored code is then simply never used.
	await sender.send(
		db,
		{
			phone: inv.phone,
			caseId: inv.caseId,
			body: `【评理】您的调解协议书验证码是 ${code}，10 分钟内有效，只能使用一次。请勿告诉他人。`,
			template: { name: 'verification_code', params: { code } }
		},
		now
	);
	return { phoneTail: inv.phone.slice(-4) };
}
