import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { migratedSnapshot, migrationsHash } from './migrated-snapshot';

export { migratedSnapshot };

export interface TestDatabase extends Database {
	/** On PostgreSQL: the throwaway database's URL (for a second client, e.g. a route's own getDb). */
	url?: string;
	/** Closes the connection and drops the throwaway database. */
	destroy(): Promise<void>;
}

const MIGRATIONS = resolve(import.meta.dirname, '../../drizzle');

/**
 * What a test file's database holds when it starts: only the migrated schema, or the demo county
 * (`seedDemo`) as well, copied from a dump made once per run by `integration-setup.ts`.
 */
export type TestStart = 'migrated' | 'demo';

/** Where this run's demo-seeded start lies: a PGlite dump file, or a template database on the server. */
export interface DemoStart {
	pgliteDump?: string;
	postgresTemplate?: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		'pingli.demoStart': DemoStart;
	}
}

/**
 * A fresh database for one test file, migrated with the committed migrations and, with `demo`, holding
 * the demo county: in-memory PGlite, or (TEST_DB_DRIVER=postgres) a new database created on the
 * TEST_DATABASE_URL server and dropped after. Each file gets its own copy, so files stay independent.
 */
export async function createTestDatabase(start: TestStart = 'migrated'): Promise<TestDatabase> {
	if (process.env.TEST_DB_DRIVER === 'postgres') {
		const adminUrl = process.env.TEST_DATABASE_URL;
		if (!adminUrl) throw new Error('TEST_DB_DRIVER=postgres needs TEST_DATABASE_URL');
		const name = `pingli_t_${randomBytes(6).toString('hex')}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		const demoTemplate = start === 'demo' ? providedDemoStart().postgresTemplate : undefined;
		const template = demoTemplate ?? (await migratedTemplate(admin, adminUrl));
		// One copy at a time: a copy fails while anything else is connected to its template.
		await locked(admin, () => admin.unsafe(`create database ${name} template ${template}`)).catch(async (err) => {
			await admin.end();
			throw err;
		});
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		const database = await openDatabase({ url: url.toString(), dataDir: '' });
		await database.migrate(MIGRATIONS);
		// Without a template from the run's setup (a file run outside vitest's projects), seed here.
		if (start === 'demo' && !demoTemplate) await seedDemoCounty(database.db, { onlyIfEmpty: true });
		return {
			...database,
			url: url.toString(),
			async destroy() {
				await database.close();
				await admin.unsafe(`drop database if exists ${name} with (force)`);
				await admin.end();
			}
		};
	}
	const demoDump = start === 'demo' ? providedDemoStart().pgliteDump : undefined;
	const snapshot = demoDump ? new Blob([readFileSync(demoDump)]) : await migratedSnapshot();
	const database = await openDatabase({ dataDir: 'memory://', loadDataDir: snapshot });
	// Applies nothing when the snapshot is current; kept so a stale one can never hide a migration.
	await database.migrate(MIGRATIONS);
	if (start === 'demo' && !demoDump) await seedDemoCounty(database.db, { onlyIfEmpty: true });
	return { ...database, destroy: () => database.close() };
}

/**
 * The demo seed, imported only when a database is seeded here: most files copy the run's seeded start,
 * and the seed's modules (certificates, seal drawing, every demo case) took over a second of each file's
 * import time.
 */
async function seedDemoCounty(...args: Parameters<typeof import('../../src/lib/server/seed/demo').seedDemo>) {
	const { seedDemo } = await import('../../src/lib/server/seed/demo');
	return seedDemo(...args);
}

function providedDemoStart(): DemoStart {
	try {
		return inject('pingli.demoStart') ?? {};
	} catch {
		return {};
	}
}

/**
 * Builds this run's demo-seeded start (called once per run from `integration-setup.ts`): the demo
 * county seeded into a migrated PGlite and dumped to `pgliteFile`, or into a new template database
 * `pingli_demo_…` on the server of `adminUrl`. Seeding hashes a dozen passwords with argon2id and draws
 * a seal image: seconds each time, once per run instead of once per test file.
 */
export async function buildDemoStart(target: { pgliteFile: string } | { adminUrl: string }): Promise<{ start: DemoStart; dispose(): Promise<void> }> {
	if ('pgliteFile' in target) {
		const database = await openDatabase({ dataDir: 'memory://', loadDataDir: await migratedSnapshot() });
		await database.migrate(MIGRATIONS);
		await seedDemoCounty(database.db, { onlyIfEmpty: false });
		const dump = await database.dump!();
		await database.close();
		writeFileSync(target.pgliteFile, Buffer.from(await dump.arrayBuffer()));
		return { start: { pgliteDump: target.pgliteFile }, dispose: async () => {} };
	}
	const { adminUrl } = target;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	const name = `pingli_demo_${migrationsHash()}_${randomBytes(4).toString('hex')}`;
	const drop = () => locked(admin, () => admin.unsafe(`drop database if exists ${name} with (force)`));
	try {
		const migrated = await migratedTemplate(admin, adminUrl);
		await locked(admin, () => admin.unsafe(`create database ${name} template ${migrated}`));
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		const database = await openDatabase({ url: url.toString(), dataDir: '' });
		try {
			await database.migrate(MIGRATIONS);
			await seedDemoCounty(database.db, { onlyIfEmpty: false });
		} finally {
			await database.close();
		}
	} catch (err) {
		await drop().catch(() => {});
		await admin.end();
		throw err;
	}
	return {
		start: { postgresTemplate: name },
		async dispose() {
			await drop();
			await admin.end();
		}
	};
}

/**
 * A database on the test server with every migration applied, made once per set of migrations and
 * copied for each test file (CREATE DATABASE … TEMPLATE), instead of migrating each copy from scratch.
 * Templates of older migration sets are dropped when a new one is made.
 */
async function migratedTemplate(admin: postgres.Sql, adminUrl: string): Promise<string> {
	const name = `pingli_tpl_${migrationsHash()}`;
	await locked(admin, async () => {
		const [found] = await admin`select 1 from pg_database where datname = ${name}`;
		if (found) return;
		for (const { datname } of await admin<{ datname: string }[]>`select datname from pg_database where datname like 'pingli_tpl_%'`) {
			await admin.unsafe(`drop database if exists ${datname} with (force)`);
		}
		await admin.unsafe(`create database ${name}`);
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		const fresh = await openDatabase({ url: url.toString(), dataDir: '' });
		try {
			await fresh.migrate(MIGRATIONS);
		} catch (err) {
			await fresh.close();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			throw err;
		}
		await fresh.close();
	});
	return name;
}

/**
 * Runs `work` holding the test-template lock: a session lock, since CREATE DATABASE cannot run in a
 * transaction (`admin` has one connection, so lock and work share the session).
 */
async function locked<T>(admin: postgres.Sql, work: () => Promise<T>): Promise<T> {
	await admin`select pg_advisory_lock(hashtext('pingli.test-template'))`;
	try {
		return await work();
	} finally {
		await admin`select pg_advisory_unlock(hashtext('pingli.test-template'))`;
	}
}
