import { smsSender, type SmsSender } from '../sms/sms-sender';
import { hashCode, randomCode } from '../agreements/tokens';
import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, takeAll } from '../auth/rate-limit';
import type { Db } from '../db';
import { receptionCodes } from '../db/schema';
import { AppError } from '../errors';
import { loadReceptionLink } from './reception-link';
import { RECEPTION_CODE_SEND_PER_ADDRESS, RECEPTION_CODE_SEND_PER_REQUEST, RECEPTION_CODE_TTL_MS } from './rules';

export interface SendReceptionCodeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Sends the text messages (tests pass a fake). */
	sender?: SmsSender;
}

/**
 * Texts a fresh 6-digit code to the phone the request was made from — the signing link's code flow:
 * the link alone (which may be forwarded or seen over a shoulder) does not open the call; the phone
 * does. Only the newest code counts; it is stored salted and hashed.
 */
export async function sendReceptionCode(db: Db, token: unknown, ip: string, options: SendReceptionCodeOptions = {}): Promise<{ phoneTail: string }> {
	const { now = new Date(), sender = smsSender() } = options;
	const link = await loadReceptionLink(db, token, now);
	if (sender.unavailable) throw new AppError('unavailable', { _: sender.unavailable });
	await takeAll(
		[
			[dbRateLimiter(db, RECEPTION_CODE_SEND_PER_ADDRESS), ip],
			[dbRateLimiter(db, RECEPTION_CODE_SEND_PER_REQUEST), String(link.id)]
		],
		{ _: 'sec_sign_code_send_limited' }
	);
	const code = randomCode();
	await db.transaction(async (tx) => {
		// Salted with the request, offset so it never equals a signing invitation's salt of the same number.
		await tx.insert(receptionCodes).values({ requestId: link.id, codeHash: hashCode(-link.id, code), createdAt: now, expiresAt: new Date(now.getTime() + RECEPTION_CODE_TTL_MS) });
		await recordAudit(tx, { action: 'reception.code_sent', actorId: null, subjectType: 'reception', subjectId: link.id, ip, data: { sender: sender.name } });
	});
	await sender.send(
		db,
		{
			phone: link.phone,
			caseId: null,
			body: `【评理】您的视频接访验证码是 ${code}，10 分钟内有效，只能使用一次。请勿告诉他人。`,
			template: { name: 'verification_code', params: { code } }
		},
		now
	);
	return { phoneTail: link.phone.slice(-4) };
}
