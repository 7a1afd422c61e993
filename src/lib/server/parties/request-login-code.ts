import { desc, eq } from 'drizzle-orm';
import { maskPhone } from '../../utils/phone';
import { randomCode } from '../agreements/tokens';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, RateLimitedError } from '../auth/rate-limit';
import type { Db } from '../db';
import { partyLoginCodes } from '../db/schema';
import { AppError } from '../errors';
import { logger } from '../logger';
import { phoneStanding } from './phone-standing';
import {
	hashLoginCode,
	LOGIN_CODE_RESEND_MS,
	LOGIN_CODE_SEND_PER_ADDRESS,
	LOGIN_CODE_SEND_PER_PHONE,
	LOGIN_CODE_TTL_MS,
	parsePhone,
	resendWaitSeconds
} from './rules';

export interface CodeRequest {
	phone: string;
	/** Seconds before another code may be asked. */
	resendIn: number;
	/** False when the request came within the wait and nothing was done. */
	accepted: boolean;
}

export interface RequestLoginCodeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Sends the text messages (tests pass a fake). */
	sender?: SmsSender;
}

/**
 * A party asks for a sign-in code. The answer is the same for every valid number ("if this number is
 * on a case, a code was sent"): a hashed code row is written either way and the wait is the same, and
 * only a number on a case (not a staff or disabled account's) gets the text. The budgets per phone and
 * per address are consumed atomically before any of that, so parallel requests cannot slip past.
 */
export async function requestLoginCode(db: Db, rawPhone: unknown, ip: string, options: RequestLoginCodeOptions = {}): Promise<CodeRequest> {
	const { now = new Date(), sender = smsSender() } = options;
	const phone = parsePhone(rawPhone);
	if (!phone) throw new AppError('invalid', { phone: 'pt_err_phone' });
	const wait = await loginCodeWait(db, phone, { now });
	if (wait > 0) return { phone, resendIn: wait, accepted: false };

	const perPhone = dbRateLimiter(db, LOGIN_CODE_SEND_PER_PHONE);
	const perAddress = dbRateLimiter(db, LOGIN_CODE_SEND_PER_ADDRESS);
	// Both are consumed (no short-circuit), so an address that floods many phones runs out too.
	const [byPhone, byAddress] = [await perPhone.take(phone), await perAddress.take(ip)];
	if (!byPhone.ok || !byAddress.ok) {
		await db.transaction((tx) => recordAudit(tx, { action: 'party.login_code_failed', actorId: null, ip, data: { phone: maskPhone(phone), reason: 'rate_limited' } }));
		throw new RateLimitedError(Math.max(byPhone.retryAfterMs, byAddress.retryAfterMs), { _: 'pt_err_send_limited' });
	}

	const code = randomCode();
	const eligible = await db.transaction(async (tx) => {
		const standing = await phoneStanding(tx, phone);
		await tx.insert(partyLoginCodes).values({ phone, codeHash: hashLoginCode(phone, code), createdAt: now, expiresAt: new Date(now.getTime() + LOGIN_CODE_TTL_MS) });
		await recordAudit(tx, { action: 'party.login_code_request', actorId: null, ip, data: { phone: maskPhone(phone), sent: standing.eligible } });
		return standing.eligible;
	});
	if (eligible) {
		// After the commit (a provider's text cannot be called back), and not awaited: how long a
		// provider takes to answer would tell a caller whether the number is on a case. A failure is
		// logged; the person asks again after the wait, as after any text that did not arrive.
		// No case on the message: a sign-in code opens every case of the number, so it must not be
		// listed on one case's outbox for that case's staff to read.
		const sending = sender
			.send(
				db,
				{
					phone,
					caseId: null,
					body: `【评理】您的登录验证码是 ${code}，10 分钟内有效，只能用一次。请勿告诉他人。`,
					template: { name: 'verification_code', params: { code } }
				},
				now
			)
			.catch((err) => logger.warn({ err: String(err), phone: maskPhone(phone) }, 'party sign-in code not sent'));
		// The development outbox is a local write that reveals nothing: awaited, so the code is there
		// as soon as the answer is.
		if (sender.name === 'outbox') await sending;
	}
	return { phone, resendIn: Math.ceil(LOGIN_CODE_RESEND_MS / 1000), accepted: true };
}

export interface LoginCodeWaitOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** Seconds before the phone may ask for another code (0 when it may now); for pages that show the wait. */
export async function loginCodeWait(db: Db, phone: string, options: LoginCodeWaitOptions = {}): Promise<number> {
	const { now = new Date() } = options;
	const [newest] = await db
		.select({ createdAt: partyLoginCodes.createdAt })
		.from(partyLoginCodes)
		.where(eq(partyLoginCodes.phone, phone))
		.orderBy(desc(partyLoginCodes.createdAt))
		.limit(1);
	return resendWaitSeconds(newest?.createdAt ?? null, now);
}
