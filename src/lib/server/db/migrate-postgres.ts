import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/**
 * The key of the session advisory lock every instance takes around its migrations ('pingli.migrations'
 * as two int4s would be as good; one fixed bigint is simpler to find in pg_locks).
 */
export const MIGRATION_LOCK_KEY = 7_360_119_402_117;

/**
 * Applies the committed migrations to PostgreSQL under a session advisory lock, so that instances
 * starting at once take turns: the first migrates, the others wait and then find nothing left to apply.
 * Without it both would read "nothing applied yet" and run the same DDL (drizzle's `CREATE SCHEMA IF NOT
 * EXISTS` alone races into a unique violation on pg_namespace).
 *
 * One connection (`max: 1`) carries the lock and the migrator's statements, since a session lock
 * belongs to the connection that took it; closing that connection releases it even if the process is
 * killed half-way. Drizzle's migrator runs every pending migration in one transaction, and PostgreSQL's
 * DDL is transactional, so a failing migration leaves the database exactly as it was.
 */
export async function migratePostgresLocked(url: string, migrationsFolder: string): Promise<void> {
	const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
		await migrate(drizzle(client), { migrationsFolder });
	} finally {
		await client.end({ timeout: 5 });
	}
}
