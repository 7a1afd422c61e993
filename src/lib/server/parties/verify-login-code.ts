import { and, desc, eq, isNull } from 'drizzle-orm';
import { maskPhone } from '../../utils/phone';
import { recordAudit } from '../audit/record-audit';
import { hashPassword } from '../auth/password';
import { dbRateLimiter, RateLimitedError } from '../auth/rate-limit';
import { createSession, randomString } from '../auth/session';
import type { Db, Tx } from '../db';
import { caseParties, partyLoginCodes, userRoles, users } from '../db/schema';
import { AppError } from '../errors';
import { phoneStanding } from './phone-standing';
import { accountName, hashLoginCode, LOGIN_CODE_TRY_PER_ADDRESS, LOGIN_CODE_TRY_PER_PHONE, parseCode, parsePhone } from './rules';

type Failure = 'wrong' | 'expired' | 'used' | 'rate_limited' | 'no_case';
const MESSAGE: Record<Failure, string> = {
	wrong: 'pt_err_code_wrong',
	expired: 'pt_err_code_expired',
	used: 'pt_err_code_used',
	rate_limited: 'pt_err_code_limited',
	no_case: 'pt_err_no_case'
};

export interface VerifyLoginCodeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Signs a party in with the phone on their case and the newest code sent to it. Both budgets are
 * consumed before the code is looked at (atomic counters, so parallel guesses cannot exceed them);
 * the phone's is reset on success. The code is claimed with a conditional update, so it works once.
 * Then, in one transaction: the party account for that phone (found, or made without a password),
 * and every party row with that phone and no account yet linked to it, so the ordinary `own_party`
 * rules show the person exactly their cases.
 */
export async function verifyLoginCode(db: Db, input: { phone: unknown; code: unknown }, ip: string, options: VerifyLoginCodeOptions = {}) {
	const { now = new Date() } = options;
	const phone = parsePhone(input.phone);
	const perPhone = dbRateLimiter(db, LOGIN_CODE_TRY_PER_PHONE);
	const perAddress = dbRateLimiter(db, LOGIN_CODE_TRY_PER_ADDRESS);
	let retryAfterMs = 0;
	const fail = async (reason: Failure): Promise<never> => {
		await db.transaction((tx) => recordAudit(tx, { action: 'party.login_code_failed', actorId: null, ip, data: { phone: phone ? maskPhone(phone) : '', reason } }));
		if (reason === 'rate_limited') throw new RateLimitedError(retryAfterMs, { code: MESSAGE[reason] });
		throw new AppError('invalid', { code: MESSAGE[reason] });
	};
	const byAddress = await perAddress.take(ip);
	const byPhone = phone ? await perPhone.take(phone) : { ok: true, retryAfterMs: 0 };
	if (!byAddress.ok || !byPhone.ok) {
		retryAfterMs = Math.max(byAddress.retryAfterMs, byPhone.retryAfterMs);
		return fail('rate_limited');
	}
	const code = parseCode(input.code);
	if (!phone || !code) return fail('wrong');

	const [latest] = await db
		.select()
		.from(partyLoginCodes)
		.where(eq(partyLoginCodes.phone, phone))
		.orderBy(desc(partyLoginCodes.createdAt), desc(partyLoginCodes.id))
		.limit(1);
	if (!latest || latest.codeHash !== hashLoginCode(phone, code)) return fail('wrong');
	if (latest.usedAt) return fail('used');
	if (latest.expiresAt <= now) return fail('expired');

	// Hashed before the transaction: argon2 takes a moment and nobody knows the secret, so a phone
	// account has no usable password, and a password login on its number costs the same time as any.
	const unusablePassword = await hashPassword(randomString() + randomString());
	const result = await db.transaction(async (tx): Promise<Failure | number> => {
		const claimed = await tx
			.update(partyLoginCodes)
			.set({ usedAt: now })
			.where(and(eq(partyLoginCodes.id, latest.id), isNull(partyLoginCodes.usedAt)))
			.returning({ id: partyLoginCodes.id });
		if (claimed.length === 0) return 'used';
		const standing = await phoneStanding(tx, phone);
		// The phone was taken off its cases (or its account disabled) since the code went out.
		if (!standing.eligible) return 'no_case';
		const userId = standing.user?.id ?? (await createPartyAccount(tx, phone, standing.parties[0], unusablePassword, ip));
		await tx.update(users).set({ phoneVerifiedAt: now }).where(eq(users.id, userId));
		await linkParties(tx, userId, phone, ip);
		await recordAudit(tx, { action: 'auth.login', actorId: userId, ip, subjectType: 'user', subjectId: userId, data: { method: 'phone_code' } });
		return userId;
	});
	// The code is spent either way; a refusal after the claim is still one attempt of the budget.
	if (typeof result !== 'number') return fail(result);
	await perPhone.reset(phone);
	return createSession(db, result, now);
}

async function createPartyAccount(tx: Tx, phone: string, party: { name: string; placeId: number }, passwordHash: string, ip: string): Promise<number> {
	const [user] = await tx
		.insert(users)
		.values({ phone, name: accountName(party.name), passwordHash, placeId: party.placeId })
		.returning({ id: users.id });
	await tx.insert(userRoles).values({ userId: user.id, role: 'party' });
	await recordAudit(tx, { action: 'party.account_create', actorId: user.id, ip, subjectType: 'user', subjectId: user.id, data: { placeId: party.placeId } });
	return user.id;
}

/** Links every party row with this phone and no account yet; audited with the rows it took. */
export async function linkParties(tx: Tx, userId: number, phone: string, ip: string | null): Promise<void> {
	const linked = await tx
		.update(caseParties)
		.set({ userId })
		.where(and(eq(caseParties.phone, phone), isNull(caseParties.userId)))
		.returning({ id: caseParties.id, caseId: caseParties.caseId });
	if (linked.length === 0) return;
	await recordAudit(tx, {
		action: 'party.link',
		actorId: userId,
		ip,
		subjectType: 'user',
		subjectId: userId,
		data: { partyIds: linked.map((p) => p.id), caseIds: [...new Set(linked.map((p) => p.caseId))] }
	});
}

