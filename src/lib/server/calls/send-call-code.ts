import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, takeAll, type RateLimitRule } from '../auth/rate-limit';
import { CODE_TTL_MS } from '../agreements/send-signing-code';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import { hashCode, randomCode } from '../agreements/tokens';
import type { Db } from '../db';
import { callInvitations } from '../db/schema';
import { AppError } from '../errors';
import { loadCallInvitation } from './call-link';

export const CALL_CODE_SEND_PER_INVITATION: RateLimitRule = { name: 'call-code-send', max: 3, windowMs: 15 * 60_000 };
export const CALL_CODE_SEND_PER_ADDRESS: RateLimitRule = { name: 'call-code-send-address', max: 20, windowMs: 15 * 60_000 };

export interface SendCallCodeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Sends the text messages (tests pass a fake). */
	sender?: SmsSender;
}

/**
 * Texts a fresh 6-digit code to the invited party's phone on file, as the signing link does
 * (agreements/send-signing-code.ts): the newest code replaces earlier ones, only its hash is stored,
 * and the audit row records that one was sent, never the code.
 */
export async function sendCallCode(db: Db, token: unknown, ip: string, options: SendCallCodeOptions = {}): Promise<{ phoneTail: string }> {
	const { now = new Date(), sender = smsSender() } = options;
	const inv = await loadCallInvitation(db, token, { now });
	if (!inv.phone) throw new AppError('conflict', { _: 'err_sign_no_phone' });
	if (sender.unavailable) throw new AppError('unavailable', { _: sender.unavailable });
	await takeAll(
		[
			[dbRateLimiter(db, CALL_CODE_SEND_PER_ADDRESS), ip],
			[dbRateLimiter(db, CALL_CODE_SEND_PER_INVITATION), String(inv.invitationId)]
		],
		{ _: 'sec_sign_code_send_limited' }
	);
	const code = randomCode();
	await db.transaction(async (tx) => {
		await tx
			.update(callInvitations)
			.set({ codeHash: hashCode(inv.invitationId, code), codeExpiresAt: new Date(now.getTime() + CODE_TTL_MS), codeUsedAt: null })
			.where(eq(callInvitations.id, inv.invitationId));
		await recordAudit(tx, {
			action: 'call.code_sent',
			actorId: null,
			subjectType: 'mediation_session',
			subjectId: inv.sessionId,
			ip,
			data: { invitationId: inv.invitationId, partyId: inv.partyId, sender: sender.name }
		});
	});
	await sender.send(
		db,
		{
			phone: inv.phone,
			caseId: inv.caseId,
			body: `【评理】您加入调解通话的验证码是 ${code}，10 分钟内有效，只能使用一次。请勿告诉他人。`,
			template: { name: 'verification_code', params: { code } }
		},
		now
	);
	return { phoneTail: inv.phone.slice(-4) };
}
