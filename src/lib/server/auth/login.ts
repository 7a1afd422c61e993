import { eq, or } from 'drizzle-orm';
import { normalizePhone } from '../../utils/phone';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { verifyAgainstDummy, verifyPassword } from './password';
import { dbRateLimiter, LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS } from './rate-limit';
import { createSession } from './session';

export interface LoginInput {
	login: string;
	password: string;
	ip: string;
}

/**
 * Signs a person in with phone or username + password. Order per our rate-limit pattern: check both
 * budgets → cheap validation → verify → consume on failure → reset the account budget on success.
 * Failures look the same whether or not the account exists (no enumeration).
 */
export async function login(db: Db, input: LoginInput) {
	const login = input.login.normalize('NFKC').trim().toLowerCase();
	const phone = normalizePhone(login);
	const perAccount = dbRateLimiter(db, LOGIN_PER_ACCOUNT);
	const perAddress = dbRateLimiter(db, LOGIN_PER_ADDRESS);

	const [user] =
		login && login.length <= 64
			? await db
					.select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
					.from(users)
					.where(or(eq(users.username, login), eq(users.phone, phone ?? login)))
					.limit(1)
			: [];
	// One budget per account however it is named (username or phone); unknown names get their own.
	const accountKey = user ? `user:${user.id}` : (phone ?? login);

	if (!(await perAccount.check(accountKey)) || !(await perAddress.check(input.ip))) {
		await recordAudit(db, {
			action: 'auth.login_failed',
			actorId: null,
			ip: input.ip,
			data: { login: accountKey.slice(0, 64), reason: 'rate_limited' }
		});
		throw new AppError('rate_limited');
	}
	if (!login || !input.password || input.password.length > 256 || login.length > 64) {
		throw new AppError('invalid_credentials');
	}

	const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
	if (!user || !ok || user.disabledAt) {
		await perAccount.consume(accountKey);
		await perAddress.consume(input.ip);
		await recordAudit(db, {
			action: 'auth.login_failed',
			actorId: user?.id ?? null,
			ip: input.ip,
			data: { login: accountKey.slice(0, 64), reason: user && ok ? 'disabled' : 'bad_credentials' }
		});
		throw new AppError('invalid_credentials');
	}

	await perAccount.reset(accountKey);
	const created = await createSession(db, user.id);
	await recordAudit(db, { action: 'auth.login', actorId: user.id, ip: input.ip, subjectType: 'user', subjectId: user.id, data: { method: 'password' } });
	return created;
}
