import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/lib/server/auth/login';
import { LOGIN_PER_ACCOUNT, RateLimitedError, retryMinutes } from '../../src/lib/server/auth/rate-limit';
import { createSession, invalidateSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, validateSessionToken } from '../../src/lib/server/auth/session';
import { rateLimits, sessions, users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/server/seed/demo';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { codeOf } from '../support/app-error';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('demo');
});
afterAll(() => t.destroy());

describe('login', () => {
	it('signs in every demo account by username and by phone', async () => {
		for (const a of DEMO_ACCOUNTS) {
			const byName = await login(t.db, { login: a.username, password: DEMO_PASSWORD, ip: '10.0.0.1' });
			const session = await validateSessionToken(t.db, byName.token);
			const viewer = await loadViewer(t.db, session!.userId);
			expect(viewer?.roles.map((r) => r.role)).toEqual(a.roles);
		}
		// Full-width digits and a +86 prefix are the same phone.
		const byPhone = await login(t.db, { login: '+86 １３８００１３８００３', password: DEMO_PASSWORD, ip: '10.0.0.1' });
		expect(byPhone.token).toMatch(/^[a-z2-9]{24}\.[a-z2-9]{24}$/);
	});

	it('answers a wrong password and an unknown account the same way', async () => {
		expect(await codeOf(login(t.db, { login: 'mediator', password: 'wrong-password-1', ip: '10.0.0.2' }))).toBe('invalid_credentials');
		expect(await codeOf(login(t.db, { login: 'nobody-here', password: 'wrong-password-1', ip: '10.0.0.2' }))).toBe('invalid_credentials');
	});

	it('locks an account after five failures from one address, for that address only, and says when to try again', async () => {
		for (let i = 0; i < 5; i++) {
			expect(await codeOf(login(t.db, { login: 'grid', password: `wrong-password-${i}`, ip: '10.1.0.1' }))).toBe('invalid_credentials');
		}
		const refused = await login(t.db, { login: 'grid', password: DEMO_PASSWORD, ip: '10.1.0.1' }).catch((e) => e);
		expect(refused).toBeInstanceOf(RateLimitedError);
		expect(retryMinutes(refused)).toBe(15);
		// The real person elsewhere is not locked out by a stranger's six guesses (OWASP ASVS 2.2.1).
		expect(await codeOf(login(t.db, { login: 'grid', password: DEMO_PASSWORD, ip: '10.1.0.99' }))).toBe('ok');
	});

	it('checks at most five of a hundred parallel wrong passwords for one account from one address', async () => {
		const results = await Promise.all(
			Array.from({ length: 100 }, (_, i) => codeOf(login(t.db, { login: 'supervisor', password: `wrong-password-${i}`, ip: '10.4.0.1' })))
		);
		// Only an attempt that got through the count reaches argon2 and answers invalid_credentials.
		expect(results.filter((r) => r === 'invalid_credentials').length).toBe(5);
		expect(results.filter((r) => r === 'rate_limited').length).toBe(95);
		expect(await codeOf(login(t.db, { login: 'supervisor', password: DEMO_PASSWORD, ip: '10.4.0.2' }))).toBe('ok');
		// Refused attempts did not spend the account-wide budget: the attacker used five of it, not a hundred.
		const [{ id }] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, 'supervisor'));
		const [row] = await t.db.select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, `login-account:user:${id}`));
		expect(row.count).toBe(5);
	});

	it('has a softer account-wide limit against guessing from many addresses', async () => {
		for (let i = 0; i < LOGIN_PER_ACCOUNT.max; i++) {
			expect(await codeOf(login(t.db, { login: 'county.supervisor', password: `wrong-password-${i}`, ip: `10.5.${i >> 8}.${i & 255}` }))).toBe('invalid_credentials');
		}
		expect(await codeOf(login(t.db, { login: 'county.supervisor', password: DEMO_PASSWORD, ip: '10.5.9.9' }))).toBe('rate_limited');
	}, 120_000);

	it('counts failures by username and by phone against one budget for the account', async () => {
		for (let i = 0; i < 3; i++) await codeOf(login(t.db, { login: 'advisor', password: `wrong-password-${i}`, ip: '10.2.0.1' }));
		for (let i = 3; i < 5; i++) await codeOf(login(t.db, { login: '13800138004', password: `wrong-password-${i}`, ip: '10.2.0.1' }));
		expect(await codeOf(login(t.db, { login: 'advisor', password: DEMO_PASSWORD, ip: '10.2.0.1' }))).toBe('rate_limited');
	});

	it('gives a successful attempt back, so an honest person keeps the whole budget', async () => {
		for (let i = 0; i < 4; i++) await codeOf(login(t.db, { login: 'mediator', password: `wrong-password-${i}`, ip: '10.6.0.1' }));
		expect(await codeOf(login(t.db, { login: 'mediator', password: DEMO_PASSWORD, ip: '10.6.0.1' }))).toBe('ok');
		for (let i = 0; i < 5; i++) expect(await codeOf(login(t.db, { login: 'mediator', password: `wrong-password-${i}`, ip: '10.6.0.1' }))).toBe('invalid_credentials');
	});

	it('rate-limits an address that guesses many accounts', async () => {
		for (let i = 0; i < 30; i++) await codeOf(login(t.db, { login: `guess${i}`, password: 'wrong-password-1', ip: '10.9.9.9' }));
		expect(await codeOf(login(t.db, { login: 'agent', password: DEMO_PASSWORD, ip: '10.9.9.9' }))).toBe('rate_limited');
		expect(await codeOf(login(t.db, { login: 'agent', password: DEMO_PASSWORD, ip: '10.9.9.10' }))).toBe('ok');
	});

	it('refuses a disabled account with the same message', async () => {
		await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.username, 'party'));
		expect(await codeOf(login(t.db, { login: 'party', password: DEMO_PASSWORD, ip: '10.0.0.3' }))).toBe('invalid_credentials');
		await t.db.update(users).set({ disabledAt: null }).where(eq(users.username, 'party'));
	});
});

describe('sessions', () => {
	const userId = async () => (await t.db.select({ id: users.id }).from(users).where(eq(users.username, 'admin')))[0].id;

	it('stores only a hash of the secret and gives a new token at every sign-in', async () => {
		const a = await createSession(t.db, await userId());
		const b = await createSession(t.db, await userId());
		expect(a.token).not.toBe(b.token);
		const [row] = await t.db.select().from(sessions).where(eq(sessions.id, a.session.id));
		expect(Buffer.from(row.secretHash).toString()).not.toContain(a.token.split('.')[1]);
		expect(row.secretHash.byteLength).toBe(32);
	});

	it('rejects a tampered secret, a malformed token and an ended session', async () => {
		const { token, session } = await createSession(t.db, await userId());
		const [id, secret] = token.split('.');
		const flipped = secret[0] === 'a' ? 'b' + secret.slice(1) : 'a' + secret.slice(1);
		expect(await validateSessionToken(t.db, `${id}.${flipped}`)).toBeNull();
		expect(await validateSessionToken(t.db, `${id}`)).toBeNull();
		expect(await validateSessionToken(t.db, `${token}.x`)).toBeNull();
		expect(await validateSessionToken(t.db, token)).not.toBeNull();
		await invalidateSession(t.db, session.id);
		expect(await validateSessionToken(t.db, token)).toBeNull();
	});

	it('slides the expiry on use but never past the absolute lifetime', async () => {
		const start = new Date('2026-01-01T00:00:00Z');
		const { token } = await createSession(t.db, await userId(), start);
		// Used every 6 days: stays alive by sliding ...
		let now = start;
		for (let day = 6; day < 30; day += 6) {
			now = new Date(start.getTime() + day * 86_400_000);
			const s = await validateSessionToken(t.db, token, now);
			expect(s).not.toBeNull();
			expect(s!.expiresAt.getTime()).toBe(Math.min(now.getTime() + SESSION_IDLE_MS, start.getTime() + SESSION_ABSOLUTE_MS));
		}
		// ... until the absolute lifetime ends it.
		expect(await validateSessionToken(t.db, token, new Date(start.getTime() + SESSION_ABSOLUTE_MS))).toBeNull();
	});

	it('expires a session left unused for the idle period', async () => {
		const start = new Date('2026-02-01T00:00:00Z');
		const { token } = await createSession(t.db, await userId(), start);
		expect(await validateSessionToken(t.db, token, new Date(start.getTime() + SESSION_IDLE_MS + 1))).toBeNull();
	});
});
