import { asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowContent, chainHash, recordAudit } from '../../src/lib/server/audit/record-audit';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { auditLog, places, users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
let rows: (typeof auditLog.$inferSelect)[];
/** case.file rows written by the demo load, before this file's own filings. */
let demoFilings: number;

/**
 * Runs a raw change to the log as an attacker with table-owner rights would: with user triggers off,
 * so the test keeps proving the chain itself once the table also refuses UPDATE/DELETE.
 */
async function tamper(statement: SQL) {
	await t.db.transaction(async (tx) => {
		await tx.execute(sql`alter table audit_log disable trigger user`);
		await tx.execute(statement);
		await tx.execute(sql`alter table audit_log enable trigger user`);
	});
}

const all = () => t.db.select().from(auditLog).orderBy(asc(auditLog.id));

beforeAll(async () => {
	t = await createTestDatabase('demo');
	const [mediator] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, 'mediator'));
	const [village] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '城南村'));
	const actor = (await loadViewer(t.db, mediator.id))!;
	demoFilings = (await all()).filter((r) => r.action === 'case.file').length;
	for (const title of ['宅基地边界纠纷', '拖欠工资', '邻里噪音']) {
		await fileCase(t.db, actor, { channel: 'walk_in', categoryId: 3, placeId: village.id, title, description: '双方争执。', parties: [{ side: 'applicant', name: '孙大伯' }] }, { ip: '10.0.0.1' });
	}
	rows = await all();
}, 180_000);
afterAll(() => t.destroy());

describe('audit chain', () => {
	it('verifies on a fresh database after the demo load and some filings', async () => {
		expect(rows.length).toBeGreaterThan(10);
		expect(rows.filter((r) => r.action === 'case.file')).toHaveLength(demoFilings + 3);
		expect(await verifyAuditChain(t.db)).toEqual({ ok: true, rows: rows.length });
		// Small pages walk the same chain across page boundaries.
		expect(await verifyAuditChain(t.db, 3)).toEqual({ ok: true, rows: rows.length });
	});

	it('catches a change to any column of a row, at that row', async () => {
		const target = rows[Math.floor(rows.length / 2)];
		const changes: SQL[] = [
			sql`data = '{"number":"2026-999999"}'::jsonb`,
			sql`actor_id = case when actor_id is null then (select min(id) from users) else null end`,
			sql`action = 'auth.logout'`,
			sql`ip = '203.0.113.9'`,
			sql`at = at + interval '1 second'`,
			sql`subject_id = '999'`,
			sql`hash = ${'f'.repeat(64)}`
		];
		for (const change of changes) {
			await tamper(sql`update audit_log set ${change} where id = ${target.id}`);
			expect({ change: change, result: await verifyAuditChain(t.db) }).toMatchObject({ result: { ok: false, brokenAt: target.id, reason: 'content' } });
			// Put the row back exactly; the chain is whole again.
			await tamper(sql`update audit_log set data = ${JSON.stringify(target.data)}::jsonb, actor_id = ${target.actorId}, action = ${target.action}, ip = ${target.ip}, at = ${target.at.toISOString()}::timestamptz, subject_id = ${target.subjectId}, hash = ${target.hash} where id = ${target.id}`);
			expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
		}
	});

	it('catches a change whose row hash was recomputed, at the next row', async () => {
		const [target, next] = [rows[3], rows[4]];
		const forged = { ...target, ip: '198.51.100.1' };
		await tamper(sql`update audit_log set ip = ${forged.ip}, hash = ${chainHash(target.prevHash, auditRowContent(forged))} where id = ${target.id}`);
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: next.id, reason: 'link' });
		await tamper(sql`update audit_log set ip = ${target.ip}, hash = ${target.hash} where id = ${target.id}`);
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
	});

	it('catches a forged row appended with a wrong hash', async () => {
		const last = rows[rows.length - 1];
		const at = new Date();
		// Right link, made-up hash; then a made-up link as well.
		for (const prevHash of [last.hash, 'a'.repeat(64)]) {
			await tamper(sql`insert into audit_log (at, actor_id, action, data, prev_hash, hash) values (${at.toISOString()}::timestamptz, null, 'auth.logout', '{}'::jsonb, ${prevHash}, ${'b'.repeat(64)})`);
			const [forged] = await t.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
			expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: forged.id, reason: prevHash === last.hash ? 'content' : 'link' });
			await tamper(sql`delete from audit_log where id = ${forged.id}`);
		}
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
	});

	it('stays whole under twenty concurrent writers in separate transactions', async () => {
		const [{ n: before }] = await t.db.select({ n: count() }).from(auditLog);
		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				t.db.transaction((tx) => recordAudit(tx, { action: 'auth.login_failed', actorId: null, ip: `10.2.0.${i}`, data: { login: `writer${i}`, reason: 'bad_credentials' } }))
			)
		);
		const after = await all();
		expect(after).toHaveLength(before + 20);
		// No fork: every row names a different predecessor.
		expect(new Set(after.map((r) => r.prevHash)).size).toBe(after.length);
		expect(await verifyAuditChain(t.db)).toEqual({ ok: true, rows: before + 20 });
		rows = after;
	});

	it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused, appends still work', async () => {
		// The triggers of migration 0008; tamper() above switches them off to simulate an attacker who can.
		const refused = (statement: SQL) => t.db.execute(statement).then(() => 'done', (e: Error) => String(e.cause ?? e));
		expect(await refused(sql`update audit_log set ip = '203.0.113.1' where id = ${rows[2].id}`)).toMatch(/append-only: UPDATE refused/);
		expect(await refused(sql`delete from audit_log where id = ${rows[2].id}`)).toMatch(/append-only: DELETE refused/);
		expect(await refused(sql`truncate audit_log`)).toMatch(/append-only: TRUNCATE refused/);
		// Deleting a user would set their audit rows' actor_id to null: refused with them.
		const [advisor] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, 'advisor'));
		await t.db.transaction((tx) => recordAudit(tx, { action: 'auth.logout', actorId: advisor.id, data: {} }));
		expect(await refused(sql`delete from users where id = ${advisor.id}`)).toMatch(/append-only: UPDATE refused/);
		rows = await all();
		expect(await verifyAuditChain(t.db)).toEqual({ ok: true, rows: rows.length });
	});

	it('catches a deleted row in the middle, at the row after the gap', async () => {
		const [target, next] = [rows[5], rows[6]];
		await tamper(sql`delete from audit_log where id = ${target.id}`);
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: next.id, reason: 'link' });
	});
});
