import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChainHead, readChainHead } from '../../src/lib/server/audit/chain-head';
import { recordAudit } from '../../src/lib/server/audit/record-audit';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { migratedSnapshot } from '../support/test-db';

const ROOT = resolve(import.meta.dirname, '../..');
let dataDir: string;

/** The embedded database on disk, opened only between runs of the script (one process at a time). */
async function withDatabase<T>(work: (database: Database) => Promise<T>, loadDataDir?: Blob): Promise<T> {
	const database = await openDatabase({ dataDir, loadDataDir });
	try {
		return await work(database);
	} finally {
		await database.close();
	}
}

/** `npm run audit:verify -- --head …` against that directory: exit code and output. */
async function auditVerify(...args: string[]): Promise<{ code: number; out: string }> {
	const run = promisify(execFile);
	const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'production' };
	try {
		const { stdout, stderr } = await run(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/audit-verify.ts', ...args], { cwd: ROOT, env });
		return { code: 0, out: stdout + stderr };
	} catch (err) {
		const e = err as { code: number; stdout: string; stderr: string };
		return { code: e.code, out: e.stdout + e.stderr };
	}
}

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'pingli-audit-head-'));
	// Starts from the migrated snapshot the other integration files use: migrating on disk takes a minute here.
	await withDatabase(async (database) => {
		await database.migrate(join(ROOT, 'drizzle'));
		for (let i = 0; i < 5; i++) {
			await database.db.transaction((tx) => recordAudit(tx, { action: 'auth.logout', actorId: null, ip: `10.8.0.${i}`, data: {} }));
		}
	}, await migratedSnapshot());
}, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm run audit:verify -- --head', () => {
	it('accepts the current head and refuses a malformed one', async () => {
		const head = await withDatabase(async ({ db }) => formatChainHead(await readChainHead(db)));
		expect(head).toMatch(/^5:[0-9a-f]{64}$/);
		const ok = await auditVerify('--head', head);
		expect(ok).toMatchObject({ code: 0 });
		expect(ok.out).toContain(`head: ${head}`);
		expect(ok.out).toContain(`published head ${head}: held`);
		const bad = await auditVerify('--head', 'five:abc');
		expect(bad.code).toBe(2);
		expect(bad.out).toContain('--head must be <count>:<64 hex digits>');
	}, 60_000);

	it('exits 1 naming the cut once the tail holding a published head is gone', async () => {
		const head = await withDatabase(async ({ db }) => {
			const published = formatChainHead(await readChainHead(db));
			// An attacker with owner rights: the append-only triggers (migration 0008) off, the last two rows deleted.
			await db.transaction(async (tx) => {
				await tx.execute(sql`alter table audit_log disable trigger user`);
				await tx.execute(sql`delete from audit_log where id in (select id from audit_log order by id desc limit 2)`);
				await tx.execute(sql`alter table audit_log enable trigger user`);
			});
			return published;
		});
		const cut = await auditVerify('--head', head);
		expect(cut.code).toBe(1);
		// The chain alone still looks whole; only the published head shows the cut.
		expect(cut.out).toContain('audit chain intact: 3 rows');
		expect(cut.out).toContain(`published head ${head} is NOT held: the log has only 3 rows`);
	}, 60_000);
});
