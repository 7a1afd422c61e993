import { env } from '../env';
import { removeRunningMarker } from './running-marker';
import { openDatabase, openReadReplica, type Database, type Db, type Tx } from './client';

export type { Db, Tx, Database };

/**
 * The process's one database, opened on first use. The production build holds one copy of this module
 * (src/server.js loads the app from the build only), so a module variable is the process's. In
 * development Vite runs this module again when it or an import changes: the open database is handed
 * to the new copy, since a second PGlite on the same data directory would corrupt it.
 */
let opened: Promise<Database> | null = (import.meta.hot?.data.opened as Promise<Database> | undefined) ?? null;
import.meta.hot?.dispose((data) => {
	data.opened = opened;
});

export function getDatabase(): Promise<Database> {
	opened ??= openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir }).catch((err) => {
		opened = null;
		throw err;
	});
	return opened;
}

export async function getDb(): Promise<Db> {
	return (await getDatabase()).db;
}

let replica: ReturnType<typeof openReadReplica> | null = null;

/**
 * The database for a read that tolerates a few seconds of lag (statistics, reports, circulars,
 * exports): the standby of DATABASE_READ_URL when one is set and the asker has not just written
 * (`recentWrite`, see http/read-your-writes.ts), else the primary. Unset, always the primary.
 */
export async function getReadDb(recentWrite: boolean): Promise<Db> {
	if (!env.DATABASE_READ_URL || recentWrite) return getDb();
	replica ??= openReadReplica(env.DATABASE_READ_URL);
	return replica.db;
}

/** Closes the process database (on shutdown) so PGlite flushes to disk. */
export async function closeDatabase(): Promise<void> {
	const standby = replica;
	replica = null;
	await standby?.close();
	const pending = opened;
	opened = null;
	if (!pending) return;
	const database = await pending;
	await database.close();
	if (database.kind === 'pglite') removeRunningMarker(env.dataDir);
}
