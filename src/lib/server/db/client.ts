import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { migratePostgresLocked } from './migrate-postgres';
import * as schema from './schema';

export type Schema = typeof schema;
/** One type above both drivers: use cases take a `Db | Tx` and never know which is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
	db: Db;
	kind: 'pglite' | 'postgres';
	migrate(migrationsFolder: string): Promise<void>;
	close(): Promise<void>;
	/** Embedded only: the whole data directory as a tarball (what `loadDataDir` starts from). */
	dump?(compression?: 'none' | 'gzip'): Promise<Blob>;
}

/**
 * Set on every PostgreSQL session of the app. `work_mem`: a text search's count combines the bigram index
 * with the viewer's scope in a bitmap of the rows' pages; at two million matters a common word's bitmap
 * outgrew the default 4 MB, went lossy, and PostgreSQL then recomputed the bigrams of every row on those
 * pages (4.2 s for 排水沟 in one county instead of 0.12 s). It is a per-operation ceiling, not an allocation.
 * `jit`: the statistics' larger reads (a city's recurring-matter search reads 30,000 matters) cross the
 * planner's JIT threshold, and compiling them cost 30–40 ms a query that the compiled code never won back
 * on reads of this size; the app sends no long analytical queries that would.
 */
const SESSION_SETTINGS = { work_mem: '32MB', jit: 'off' };

/**
 * Opens the database. With a URL it is a real PostgreSQL through postgres.js; without one it is
 * embedded PGlite, on disk under `dataDir` (or in memory when `dataDir` is `memory://`).
 */
export async function openDatabase(options: { url?: string; dataDir: string; loadDataDir?: Blob }): Promise<Database> {
	if (options.url) {
		const client = postgres(options.url, {
			max: 10,
			onnotice: () => {},
			// Fail fast instead of hanging when the server is unreachable.
			connect_timeout: 10,
			connection: SESSION_SETTINGS
		});
		const db = drizzlePostgres(client, { schema }) as unknown as Db;
		const url = options.url;
		return {
			db,
			kind: 'postgres',
			migrate: (folder) => migratePostgresLocked(url, folder),
			close: () => client.end({ timeout: 5 })
		};
	}
	if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
	// No lock is needed for PGlite: one process owns a data directory (a second one opening it would
	// corrupt it whatever we locked), and within the process `prepareDatabase` migrates once.
	// `loadDataDir`: start from a dump (PGlite's dumpDataDir) instead of an empty cluster, e.g. a migrated one for tests.
	const client = await PGlite.create(options.dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
	const pglite = drizzlePglite(client, { schema });
	return {
		db: pglite as unknown as Db,
		kind: 'pglite',
		migrate: (folder) => migratePglite(pglite, { migrationsFolder: folder }),
		close: () => client.close(),
		dump: (compression = 'none') => client.dumpDataDir(compression)
	};
}

/**
 * A read-only client of a streaming standby (DATABASE_READ_URL): every session is opened read-only as
 * well, so a URL that names a primary by mistake still cannot be written through.
 */
export function openReadReplica(url: string): { db: Db; close(): Promise<void> } {
	const client = postgres(url, {
		max: 5,
		onnotice: () => {},
		connect_timeout: 10,
		connection: { ...SESSION_SETTINGS, default_transaction_read_only: true }
	});
	return { db: drizzlePostgres(client, { schema }) as unknown as Db, close: () => client.end({ timeout: 5 }) };
}
