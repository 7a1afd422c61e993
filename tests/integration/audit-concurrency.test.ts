import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChainHead, formatChainHead, readChainHead } from '../../src/lib/server/audit/chain-head';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import { login } from '../../src/lib/server/auth/login';
import { auditLog } from '../../src/lib/server/db/schema';
import { verifyAgreement } from '../../src/lib/server/documents/verify-agreement';
import { AppError } from '../../src/lib/server/errors';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/server/seed/demo';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { codeOf } from '../support/app-error';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('demo');
}, 180_000);
afterAll(() => t.destroy());

/** As an attacker with table-owner rights would, with the append-only triggers of migration 0008 off. */
async function tamper(statement: ReturnType<typeof sql>) {
	await t.db.transaction(async (tx) => {
		await tx.execute(sql`alter table audit_log disable trigger user`);
		await tx.execute(statement);
		await tx.execute(sql`alter table audit_log enable trigger user`);
	});
}

describe('the audit chain under concurrent sign-ins and verifications', () => {
	it('stays one chain: every row names a different predecessor and the walk verifies', async () => {
		const before = await readChainHead(t.db);
		const work = [
			...DEMO_ACCOUNTS.map((a, i) => login(t.db, { login: a.username, password: DEMO_PASSWORD, ip: `10.7.0.${i}` })),
			...DEMO_ACCOUNTS.map((a, i) => login(t.db, { login: a.username, password: 'wrong-password-1', ip: `10.7.1.${i}` })),
			...Array.from({ length: 12 }, (_, i) => verifyAgreement(t.db, { code: `ABCD-EFGH-JKLM-NP${'ABCDEFGHJKLM'[i]}Z` }, `10.7.2.${i}`))
		];
		const results = await Promise.all(work.map(codeOf));
		expect(results.filter((r) => r === 'ok')).toHaveLength(DEMO_ACCOUNTS.length + 12);
		const rows = await t.db.select({ prevHash: auditLog.prevHash }).from(auditLog).orderBy(asc(auditLog.id));
		expect(rows.length - before.count).toBe(work.length);
		expect(new Set(rows.map((r) => r.prevHash)).size).toBe(rows.length);
		expect(await verifyAuditChain(t.db)).toEqual({ ok: true, rows: rows.length });
	}, 120_000);

	it('limits parallel verifications from one address to the budget, all counted first', async () => {
		const results = await Promise.all(
			Array.from({ length: 40 }, () => verifyAgreement(t.db, { code: 'ABCD-EFGH-JKLM-NPQR' }, '10.7.3.1').then((r) => r.status, (e) => (e instanceof AppError ? e.code : String(e))))
		);
		expect(results.filter((r) => r === 'unknown')).toHaveLength(20);
		expect(results.filter((r) => r === 'rate_limited')).toHaveLength(20);
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
	});
});

describe('the published head', () => {
	it('is in every verification answer, and is the head right after that check was recorded', async () => {
		const answer = await verifyAgreement(t.db, { code: 'ABCD-EFGH-JKLM-NPQS' }, '10.7.4.1');
		expect(answer.head).toBe(formatChainHead(await readChainHead(t.db)));
		const [count] = answer.head.split(':');
		const [last] = await t.db.select({ action: auditLog.action }).from(auditLog).orderBy(sql`id desc`).limit(1);
		expect(last.action).toBe('document.verify');
		expect(Number(count)).toBe((await readChainHead(t.db)).count);
	});

	it('is held while the log grows, and refused once the tail is cut, or cut and written again', async () => {
		const published = await readChainHead(t.db);
		await codeOf(login(t.db, { login: 'admin', password: DEMO_PASSWORD, ip: '10.7.5.1' }));
		await codeOf(login(t.db, { login: 'admin', password: DEMO_PASSWORD, ip: '10.7.5.1' }));
		expect(await checkChainHead(t.db, published)).toEqual({ ok: true });

		// Cut the published row and everything after it: the chain itself still verifies...
		await tamper(sql`delete from audit_log where id in (select id from audit_log order by id offset ${published.count - 1})`);
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
		// ...but the published head says rows are missing.
		expect(await checkChainHead(t.db, published)).toEqual({ ok: false, reason: 'short', rows: published.count - 1 });

		// New rows written in their place chain correctly, yet do not end in the published hash.
		await codeOf(login(t.db, { login: 'admin', password: DEMO_PASSWORD, ip: '10.7.5.2' }));
		await codeOf(login(t.db, { login: 'admin', password: DEMO_PASSWORD, ip: '10.7.5.2' }));
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
		expect(await checkChainHead(t.db, published)).toMatchObject({ ok: false, reason: 'mismatch' });
	});
});
