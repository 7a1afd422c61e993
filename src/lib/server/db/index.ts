import { env } from '../env';
import { openDatabase, type Database, type Db, type Tx } from './client';

export type { Db, Tx, Database };

/**
 * The process's one database. It is kept on `globalThis` because the production entry (run from
 * source) and the built SvelteKit bundle each hold their own copy of this module: two PGlite
 * instances on one data directory would corrupt it.
 */
const KEY = Symbol.for('pingli.database');
type Holder = { [KEY]?: Promise<Database> };

export function getDatabase(): Promise<Database> {
	const holder = globalThis as Holder;
	holder[KEY] ??= openDatabase({ url: env.DATABASE_URL, dataDir: env.dataDir }).catch((err) => {
		delete holder[KEY];
		throw err;
	});
	return holder[KEY];
}

export async function getDb(): Promise<Db> {
	return (await getDatabase()).db;
}

/** Closes the process database (on shutdown) so PGlite flushes to disk. */
export async function closeDatabase(): Promise<void> {
	const holder = globalThis as Holder;
	const pending = holder[KEY];
	delete holder[KEY];
	if (pending) await (await pending).close();
}
