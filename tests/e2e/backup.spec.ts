/**
 * Backups that restore (issue 17): `npm run backup` of a running demo — with a file attached and a live
 * record being typed into by a y-websocket client while the backup is taken — restored with
 * `npm run restore` into another, empty data directory or database, which then serves the same cases,
 * the attached file byte for byte, every record edit acknowledged as saved before the backup began,
 * and an intact audit chain. Also: restore refuses a non-empty target without --force, and a backup
 * whose files do not match the manifest.
 *
 * It runs its own servers (like start.spec.ts), so it lives in the start-<kind> projects.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import * as Y from 'yjs';
import { openDatabase } from '../../src/lib/server/db/client';
import { cases } from '../../src/lib/server/db/schema';
import { DEMO_MEDIATION_CASE_TITLE } from '../../src/lib/server/seed/demo-mediation';
import { createAppDatabase, type AppDatabase } from '../support/app-database';
import { runAppScript, spawnApp, type AppProcess } from '../support/app-process';
import { connectClient, until, type TestClient } from '../support/collab-harness';
import { expect, sessionCookie, signIn, test } from './fixtures';

// A 1×1 PNG with random trailing bytes: a file the restored copy must return byte for byte.
const PNG = Buffer.concat([
	Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082', 'hex'),
	randomBytes(64)
]);

test('a backup of a running demo, taken while a record is edited, restores elsewhere with its cases, files, record and audit chain', async ({
	browser,
	databaseKind
}) => {
	test.setTimeout(600_000);
	const adminUrl = process.env.E2E_DATABASE_URL;
	const temp = mkdtempSync(join(tmpdir(), 'pingli-backup-test-'));
	const databases: AppDatabase[] = [];
	const running: AppProcess[] = [];
	const clients: TestClient[] = [];
	// Attachments live in DATA_DIR on PostgreSQL too; each side gets its own.
	const side = async (label: string): Promise<Record<string, string>> => {
		const database = await createAppDatabase(databaseKind, { label, adminUrl });
		databases.push(database);
		return { SMS_OUTBOX: '1', ...(databaseKind === 'postgres' ? { DATA_DIR: mkdtempSync(join(temp, `${label}-`)) } : {}), ...database.env };
	};
	try {
		const source = await side('bksrc');
		const app = spawnApp(source);
		running.push(app);
		const url = await app.ready;

		const context = await browser.newContext({ baseURL: url });
		const page = await context.newPage();
		await signIn(page, 'mediator');
		await expect(page).toHaveURL('/');
		let sessionId = 0;
		for (let id = 1; id <= 50 && !sessionId; id++) {
			const response = await page.request.get(`/sessions/${id}`);
			if (response.ok() && (await response.text()).includes(DEMO_MEDIATION_CASE_TITLE)) sessionId = id;
		}
		expect(sessionId, 'the demo session').toBeGreaterThan(0);
		await page.goto(`/sessions/${sessionId}`);
		const hrefs = await page.locator('main a[href^="/cases/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
		const casePath = hrefs.find((href) => /^\/cases\/\d+$/.test(href));
		expect(casePath, 'the session page links its case').toBeTruthy();
		await page.goto(casePath!);
		await page.locator('#more-files').setInputFiles({ name: '现场照片-𠮷.png', mimeType: 'image/png', buffer: PNG }, { timeout: 30_000 });
		await page.locator('form[action="?/attach"] button[type="submit"]').click();
		const link = page.getByRole('link', { name: '现场照片-𠮷.png' });
		await expect(link).toBeVisible();
		const attachmentPath = await link.getAttribute('href');

		// The live record: a y-websocket client types a marker every 25 ms, before, during and after the backup.
		const cookie = await sessionCookie(context);
		const port = Number(new URL(url).port);
		const editor = connectClient({ port, origin: url }, `record:${sessionId}`, cookie.value);
		clients.push(editor);
		await until(() => editor.provider.synced, 'the record to sync');
		const text = editor.doc.getText('t');
		const typed: { marker: string; clock: number }[] = [];
		const typing = setInterval(() => {
			const marker = `[备份-${typed.length + 1}]`;
			text.insert(text.length, marker);
			typed.push({ marker, clock: Y.getState(editor.doc.store, editor.doc.clientID) });
		}, 25);
		await until(() => typed.length >= 10 && editor.savedClock() >= typed[9].clock, 'ten markers stored', 30_000);
		const savedBeforeBackup = typed.filter((t) => t.clock <= editor.savedClock()).map((t) => t.marker);

		const out = join(temp, 'backups');
		const backup = await runAppScript('scripts/backup.ts', ['--out', out, '--url', url], source);
		clearInterval(typing);
		expect(backup.code, backup.output).toBe(0);
		expect(typed.length, 'the record was being edited while the backup ran').toBeGreaterThan(savedBeforeBackup.length);
		const [folder] = readdirSync(out).filter((name) => name.startsWith('pingli-backup-'));
		expect(folder).toBeTruthy();
		const backupPath = join(out, folder);

		await context.close();
		for (const client of clients.splice(0)) client.destroy();
		expect(await app.stop('SIGTERM')).toBe(0);
		const sourceDb = await openDatabase({ url: source.DATABASE_URL || undefined, dataDir: source.DATA_DIR ?? '' });
		const [{ n: sourceCases }] = await sourceDb.db.select({ n: count() }).from(cases);
		await sourceDb.close();

		// A damaged backup is refused before anything is written.
		const target = await side('bkdst');
		const damaged = join(temp, 'damaged');
		rmSync(damaged, { recursive: true, force: true });
		cpSync(backupPath, damaged, { recursive: true });
		const dumpFile = readdirSync(damaged).find((f) => f.startsWith('database.'))!;
		appendFileSync(join(damaged, dumpFile), 'x');
		const refusedDamaged = await runAppScript('scripts/restore.ts', [damaged], target);
		expect(refusedDamaged.code).toBe(1);
		expect(refusedDamaged.output).toContain('does not match its checksum');

		const restored = await runAppScript('scripts/restore.ts', [backupPath], target);
		expect(restored.code, restored.output).toBe(0);
		expect(restored.output).toContain(`${sourceCases} cases, 1 attachments checked`);
		const again = await runAppScript('scripts/restore.ts', [backupPath], target);
		expect(again.code).toBe(1);
		expect(again.output).toContain('--force');
		const verified = await runAppScript('scripts/audit-verify.ts', [], target);
		expect(verified.code, verified.output).toBe(0);

		const copy = spawnApp(target);
		running.push(copy);
		const copyUrl = await copy.ready;
		const copyContext = await browser.newContext({ baseURL: copyUrl });
		const copyPage = await copyContext.newPage();
		await signIn(copyPage, 'mediator');
		await expect(copyPage).toHaveURL('/');
		const file = await copyPage.request.get(attachmentPath!);
		expect(file.ok()).toBe(true);
		expect(Buffer.from(await file.body()).equals(PNG)).toBe(true);

		const reader = connectClient({ port: Number(new URL(copyUrl).port), origin: copyUrl }, `record:${sessionId}`, (await sessionCookie(copyContext)).value);
		clients.push(reader);
		await until(() => reader.provider.synced, 'the restored record to sync');
		const restoredText = reader.doc.getText('t').toString();
		for (const marker of savedBeforeBackup) expect(restoredText).toContain(marker);
		await copyContext.close();
	} finally {
		for (const client of clients) client.destroy();
		for (const app of running) await app.stop('SIGKILL');
		for (const database of databases) await database.dispose();
		rmSync(temp, { recursive: true, force: true });
	}
});
