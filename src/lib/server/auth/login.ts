import { eq, or } from 'drizzle-orm';
import { normalizePhone } from '../../utils/phone';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { verifyAgainstDummy, verifyPassword } from './password';
import { dbRateLimiter, LOGIN_PER_ACCOUNT, LOGIN_PER_ACCOUNT_ADDRESS, LOGIN_PER_ADDRESS, RateLimitedError, takeAll } from './rate-limit';
import { createSession } from './session';

export interface LoginInput {
	login: string;
	password: string;
	ip: string;
}

/**
 * Signs a person in with phone or username + password. Order per our rate-limit pattern: cheap
 * validation → count the attempt in every budget (address, account + address, account) → verify →
 * on success give the attempt back. Counting before verifying is what bounds the argon2 work and
 * the guesses under concurrency. Failures look the same whether or not the account exists (no
 * enumeration).
 */
export async function login(db: Db, input: LoginInput) {
	const login = input.login.normalize('NFKC').trim().toLowerCase();
	const phone = normalizePhone(login);
	if (!login || !input.password || input.password.length > 256 || login.length > 64) {
		throw new AppError('invalid_credentials');
	}

	const [user] = await db
		.select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
		.from(users)
		.where(or(eq(users.username, login), eq(users.phone, phone ?? login)))
		.limit(1);
	// One budget per account however it is named (username or phone); unknown names get their own.
	const accountKey = user ? `user:${user.id}` : (phone ?? login);

	let refund: () => Promise<void>;
	try {
		refund = await takeAll([
			[dbRateLimiter(db, LOGIN_PER_ADDRESS), input.ip],
			[dbRateLimiter(db, LOGIN_PER_ACCOUNT_ADDRESS), `${accountKey}@${input.ip}`],
			[dbRateLimiter(db, LOGIN_PER_ACCOUNT), accountKey]
		]);
	} catch (err) {
		if (err instanceof RateLimitedError) {
			await db.transaction((tx) =>
				recordAudit(tx, { action: 'auth.login_failed', actorId: user?.id ?? null, ip: input.ip, data: { login: accountKey.slice(0, 64), reason: 'rate_limited' } })
			);
		}
		throw err;
	}

	const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
	if (!user || !ok || user.disabledAt) {
		await db.transaction((tx) =>
			recordAudit(tx, {
				action: 'auth.login_failed',
				actorId: user?.id ?? null,
				ip: input.ip,
				data: { login: accountKey.slice(0, 64), reason: user && ok ? 'disabled' : 'bad_credentials' }
			})
		);
		throw new AppError('invalid_credentials');
	}

	await refund();
	await dbRateLimiter(db, LOGIN_PER_ACCOUNT_ADDRESS).reset(`${accountKey}@${input.ip}`);
	return db.transaction(async (tx) => {
		const created = await createSession(tx, user.id);
		await recordAudit(tx, { action: 'auth.login', actorId: user.id, ip: input.ip, subjectType: 'user', subjectId: user.id, data: { method: 'password' } });
		return created;
	});
}
