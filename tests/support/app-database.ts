import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

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
