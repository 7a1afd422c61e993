import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { migratedSnapshot } from './migrated-snapshot';

export type DatabaseKind = 'pglite' | 'postgres';

export interface AppDatabase {
	/**
	 * Environment for the production entry. Every database variable is spelled out, so a developer's
	 * own DATABASE_URL or SEED_DEMO cannot leak into a test run.
	 */
	env: Record<string, string>;
	/** Removes the data directory, or drops the database. */
	dispose(): Promise<void>;
}

/**
 * An empty database for runs of the production entry (`build/index.js`), which migrates and seeds it
 * itself: a new PGlite directory under the system temp folder with the defaults of `npm start`, or a
 * new database on the PostgreSQL server of `adminUrl` (any database there that may `create database`),
 * with SEED_DEMO=always because the demo county is loaded on its own only into PGlite.
 */
export async function createAppDatabase(kind: DatabaseKind, options: { label: string; adminUrl?: string }): Promise<AppDatabase> {
	if (kind === 'pglite') {
		const dataDir = mkdtempSync(join(tmpdir(), `pingli-${options.label}-`));
		return {
			env: { DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'auto' },
			dispose: async () => rmSync(dataDir, { recursive: true, force: true })
		};
	}
	if (!options.adminUrl) throw new Error(`a PostgreSQL run of ${options.label} needs the URL of a server to create its database on`);
	const name = `pingli_${options.label}_${randomBytes(6).toString('hex')}`;
	const admin = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(options.adminUrl);
	url.pathname = `/${name}`;
	return {
		env: { DATABASE_URL: url.toString(), SEED_DEMO: 'always' },
		async dispose() {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

/**
 * Opens a database of `createAppDatabase` before its server first starts, for a test that prepares data
 * in it (then closes it: PGlite allows one process). An embedded one starts from the migrated snapshot the
 * integration files share instead of a new cluster on disk (seconds of initdb per app); migrations are
 * applied either way, so the caller may seed at once.
 */
export async function openNewAppDatabase(database: AppDatabase): Promise<Database> {
	const embedded = !database.env.DATABASE_URL;
	const opened = await openDatabase({ url: database.env.DATABASE_URL || undefined, dataDir: database.env.DATA_DIR ?? '', loadDataDir: embedded ? await migratedSnapshot() : undefined });
	await opened.migrate(resolve(import.meta.dirname, '../../drizzle'));
	return opened;
}
