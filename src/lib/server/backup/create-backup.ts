import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openDatabase } from '../db/client';
import { attachmentsDir } from '../cases/work/attachment-store';
import { env } from '../env';
import { writeManifest, type Manifest } from './manifest';
import { journal, lastAppliedMigration } from './migrations-journal';
import { readRunningMarker } from '../db/running-marker';
import { runTool } from './run-tool';

export interface BackupOptions {
	/** Where the backup folder is made. */
	outDir: string;
	/** The running app (PGlite only): where to ask for the dump; default http://127.0.0.1:$PORT. */
	appUrl?: string;
	now?: Date;
}

/**
 * Writes one backup folder `pingli-backup-<UTC time>` into `outDir`: the database and the stored
 * files, then `manifest.json` with every file's SHA-256. Made under a `.partial` name and renamed
 * when complete, so a folder with the final name is always a whole backup.
 *
 * Seals and drawn signatures are `bytea` columns, so they travel with the database; attachments are
 * files under DATA_DIR/attachments. On PGlite those are inside the data directory and so inside its
 * dump, of the same instant. On PostgreSQL `pg_dump` takes one snapshot and the attachments are copied
 * after it: a file is written before the row that names it is committed and never changed or removed
 * afterwards, so every file the snapshot names is there to copy.
 */
export async function createBackup(options: BackupOptions): Promise<{ folder: string; manifest: Manifest }> {
	const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
	const name = `pingli-backup-${stamp}`;
	const partial = join(options.outDir, `.${name}.partial`);
	const folder = join(options.outDir, name);
	if (existsSync(folder)) throw new Error(`${folder} exists already`);
	await rm(partial, { recursive: true, force: true });
	await mkdir(partial, { recursive: true, mode: 0o700 });
	try {
		const meta = env.DATABASE_URL ? await backupPostgres(env.DATABASE_URL, partial) : await backupPglite(partial, options.appUrl);
		const manifest = await writeManifest(partial, { createdAt: new Date().toISOString(), ...meta });
		await rename(partial, folder);
		return { folder, manifest };
	} catch (err) {
		await rm(partial, { recursive: true, force: true });
		throw err;
	}
}

async function backupPostgres(url: string, into: string): Promise<Pick<Manifest, 'database' | 'lastMigration'>> {
	const database = await openDatabase({ url, dataDir: '' });
	let lastMigration: string | null;
	try {
		lastMigration = await lastAppliedMigration(database.db, env.migrationsDir);
	} finally {
		await database.close();
	}
	await runTool('pg_dump', ['--format=custom', `--file=${join(into, 'database.pgdump')}`, `--dbname=${url}`]);
	const files = attachmentsDir();
	if (existsSync(files)) await cp(files, join(into, 'files/attachments'), { recursive: true, preserveTimestamps: true });
	return { database: 'postgres', lastMigration };
}

async function backupPglite(into: string, appUrl?: string): Promise<Pick<Manifest, 'database' | 'lastMigration'>> {
	const target = join(into, 'database.tar.gz');
	const marker = readRunningMarker(env.dataDir);
	if (marker) {
		// The app owns the data directory: it makes the dump (see running-marker.ts).
		const url = `${appUrl ?? `http://127.0.0.1:${env.PORT}`}/internal/backup`;
		const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${marker.token}` } }).catch((err: Error) => {
			throw new Error(`the app (pid ${marker.pid}) runs on ${env.dataDir} but did not answer at ${url} (${err.message}); pass --url`);
		});
		if (!response.ok || !response.body) throw new Error(`the app refused the backup at ${url}: HTTP ${response.status}`);
		await writeFile(target, Readable.fromWeb(response.body as import('node:stream/web').ReadableStream));
		return { database: 'pglite', lastMigration: journal(env.migrationsDir).at(-1)?.tag ?? null };
	}
	if (!existsSync(join(env.dataDir, 'PG_VERSION'))) throw new Error(`${env.dataDir} holds no database`);
	// Nobody runs on it: open it here, which is the "clean pause".
	const database = await openDatabase({ dataDir: env.dataDir });
	try {
		const lastMigration = await lastAppliedMigration(database.db, env.migrationsDir);
		await writeFile(target, Buffer.from(await (await database.dump!('gzip')).arrayBuffer()));
		return { database: 'pglite', lastMigration };
	} finally {
		await database.close();
	}
}
