import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './client';

/**
 * Runs raw SQL and returns its rows on either driver: postgres.js answers with an array, PGlite with
 * `{ rows }`. Prefer the query builder; this is for what it cannot say (locks, functions).
 */
export async function executeRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
