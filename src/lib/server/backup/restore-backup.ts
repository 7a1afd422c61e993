import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { attachmentPath, attachmentsDir } from '../cases/work/attachment-store';
import { openDatabase, type Database } from '../db/client';
import { executeRows } from '../db/execute-rows';
import { caseAttachments } from '../db/schema';
import { env } from '../env';
import { verifyBackup, type Manifest } from './manifest';
import { journal } from './migrations-journal';
import { readRunningMarker } from '../db/running-marker';
import { runTool } from './run-tool';

export interface RestoreReport {
	database: Manifest['database'];
	lastMigration: string | null;
	cases: number;
	attachments: number;
}

/**
 * Restores a backup folder made by `createBackup` into this installation's database — DATA_DIR for an
 * embedded one, DATABASE_URL for PostgreSQL (a backup restores into the kind it was taken from) — after
 * checking every file against the manifest. A target that holds anything is refused unless `force`;
 * a data directory an app is running on is refused always. Afterwards every attachment row must find
 * its file with the SHA-256 recorded at upload.
 */
export async function restoreBackup(folder: string, options: { force?: boolean } = {}): Promise<RestoreReport> {
	const manifest = await verifyBackup(folder);
	const known = journal(env.migrationsDir).map((e) => e.tag);
	if (manifest.lastMigration && !known.includes(manifest.lastMigration)) {
		throw new Error(`the backup was made by a newer release (migration ${manifest.lastMigration}); restore it with that release`);
	}
	const runningKind = env.DATABASE_URL ? 'postgres' : 'pglite';
	if (manifest.database !== runningKind) {
		throw new Error(`this is a ${manifest.database} backup and the configured database is ${runningKind}: set ${manifest.database === 'postgres' ? 'DATABASE_URL' : 'no DATABASE_URL'} to restore it`);
	}
	const database = manifest.database === 'pglite' ? await restorePglite(folder, options.force) : await restorePostgres(folder, env.DATABASE_URL!, options.force);
	try {
		return { database: manifest.database, lastMigration: manifest.lastMigration, ...(await checkRestored(database)) };
	} finally {
		await database.close();
	}
}

async function isEmptyDir(dir: string): Promise<boolean> {
	return !existsSync(dir) || (await readdir(dir)).length === 0;
}

async function clearDir(dir: string): Promise<void> {
	for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
}

async function restorePglite(folder: string, force?: boolean): Promise<Database> {
	const dir = env.dataDir;
	const running = readRunningMarker(dir);
	if (running) throw new Error(`an app (pid ${running.pid}) is running on ${dir}: stop it before restoring`);
	if (!(await isEmptyDir(dir))) {
		if (!force) throw new Error(`${dir} is not empty: restore into an empty DATA_DIR, or pass --force to replace what is there`);
		await clearDir(dir);
	}
	await mkdir(dir, { recursive: true, mode: 0o700 });
	// The dump is the whole data directory, attachments included (see create-backup.ts).
	const dump = new Blob([readFileSync(join(folder, 'database.tar.gz'))], { type: 'application/x-gzip' });
	return openDatabase({ dataDir: dir, loadDataDir: dump });
}

async function restorePostgres(folder: string, url: string, force?: boolean): Promise<Database> {
	const admin = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const [{ tables }] = await admin<{ tables: number }[]>`
			select count(*)::int as tables from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
		const files = attachmentsDir();
		const filesEmpty = await isEmptyDir(files);
		if ((tables > 0 || !filesEmpty) && !force) {
			throw new Error(`the database (${tables} tables) or ${files} is not empty: restore into empty ones, or pass --force to replace them`);
		}
		if (tables > 0) {
			await admin.unsafe('drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public');
		}
		if (!filesEmpty) await clearDir(files);
	} finally {
		await admin.end();
	}
	await runTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${url}`, join(folder, 'database.pgdump')]);
	const saved = join(folder, 'files/attachments');
	if (existsSync(saved)) {
		await mkdir(attachmentsDir(), { recursive: true, mode: 0o700 });
		await cp(saved, attachmentsDir(), { recursive: true, preserveTimestamps: true });
	}
	return openDatabase({ url, dataDir: '' });
}

async function checkRestored(database: Database): Promise<{ cases: number; attachments: number }> {
	const [{ cases }] = await executeRows<{ cases: number }>(database.db, sql`select count(*)::int as cases from cases`);
	const rows = await database.db.select({ key: caseAttachments.storageKey, sha256: caseAttachments.sha256 }).from(caseAttachments);
	for (const row of rows) {
		const path = attachmentPath(row.key);
		if (!existsSync(path)) throw new Error(`attachment ${row.key} is missing after the restore`);
		if (createHash('sha256').update(readFileSync(path)).digest('hex') !== row.sha256) throw new Error(`attachment ${row.key} does not match its recorded SHA-256`);
	}
	return { cases, attachments: rows.length };
}
