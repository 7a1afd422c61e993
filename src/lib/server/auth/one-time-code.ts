import type { Db, Tx } from '../db';
import { AppError } from '../errors';
import { dbRateLimiter, RateLimitedError, takeAll, type RateLimitRule } from './rate-limit';
import { randomString } from './session';

export type CodeFailure = 'wrong' | 'expired' | 'used' | 'rate_limited';

/** The message key of each refusal, on the form's `code` field. */
const MESSAGE: Record<CodeFailure, string> = {
	wrong: 'err_sign_code_wrong',
	expired: 'err_sign_code_expired',
	used: 'err_sign_code_used',
	rate_limited: 'sec_sign_code_limited'
};

/** The newest code sent for a link, as stored: only its salted hash. */
export interface StoredCode {
	codeHash: string;
	usedAt: Date | null;
	expiresAt: Date;
}

export interface OneTimeCodeCheck<S extends StoredCode> {
	ip: string;
	now: Date;
	/** Wrong codes per link (`key` names the link) and per client address. */
	perLink: RateLimitRule;
	perAddress: RateLimitRule;
	key: string;
	/** The refusal's audit row (its own transaction: a refusal changes nothing else). */
	audit(tx: Tx, reason: CodeFailure): Promise<unknown>;
	/** The newest code of the link, or null when none was sent. */
	stored(): Promise<S | null>;
	/** The stored hash of a code as typed (salted with the link). */
	hashCode(code: string): string;
	/** When the grant ends (never after the link). */
	grantExpiresAt: Date;
	/**
	 * Marks the code used and stores the grant's hash, with a conditional update so that two submissions
	 * of one code cannot both succeed; false when another got there first.
	 */
	claim(code: S, grant: string, expiresAt: Date): Promise<boolean>;
}

/**
 * Checks a one-time code texted for a personal link (signing, a call, a video reception), following
 * the rate-limit pattern: count the attempt in both budgets → cheap validation → compare → claim →
 * refund and reset on success. Counted before comparing, so parallel guesses cannot all be tried.
 * Only the newest code counts; it must be unused and unexpired. Each refusal is audited and thrown
 * as `invalid` (or `rate_limited`) with the message on the `code` field. Success returns a fresh grant
 * for the browser's cookie.
 */
export async function verifyOneTimeCode<S extends StoredCode>(db: Db, rawCode: unknown, check: OneTimeCodeCheck<S>): Promise<{ grant: string; expiresAt: Date }> {
	const perLink = dbRateLimiter(db, check.perLink);
	const perAddress = dbRateLimiter(db, check.perAddress);
	const fail = async (reason: CodeFailure, retryAfterMs = 0): Promise<never> => {
		await db.transaction((tx) => check.audit(tx, reason));
		if (reason === 'rate_limited') throw new RateLimitedError(retryAfterMs, { code: MESSAGE[reason] });
		throw new AppError('invalid', { code: MESSAGE[reason] });
	};
	let refund: () => Promise<void>;
	try {
		refund = await takeAll([
			[perAddress, check.ip],
			[perLink, check.key]
		]);
	} catch (err) {
		if (err instanceof RateLimitedError) return fail('rate_limited', err.retryAfterMs);
		throw err;
	}
	const code = typeof rawCode === 'string' ? rawCode.normalize('NFKC').replace(/\s/g, '') : '';
	if (!/^\d{6}$/.test(code)) return fail('wrong');
	const latest = await check.stored();
	if (!latest || latest.codeHash !== check.hashCode(code)) return fail('wrong');
	if (latest.usedAt) return fail('used');
	if (latest.expiresAt <= check.now) return fail('expired');
	const grant = randomString();
	if (!(await check.claim(latest, grant, check.grantExpiresAt))) return fail('used');
	await refund();
	await perLink.reset(check.key);
	return { grant, expiresAt: check.grantExpiresAt };
}
