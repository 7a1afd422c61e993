import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/lib/server/db/client';

export interface TestDatabase extends Database {
	/** Closes the connection and drops the throwaway database. */
	destroy(): Promise<void>;
}

const MIGRATIONS = resolve(import.meta.dirname, '../../drizzle');

/**
 * A fresh database for one test file, migrated with the committed migrations: in-memory PGlite, or
 * (TEST_DB_DRIVER=postgres) a new database created on the TEST_DATABASE_URL server and dropped after.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
	if (process.env.TEST_DB_DRIVER === 'postgres') {
		const adminUrl = process.env.TEST_DATABASE_URL;
		if (!adminUrl) throw new Error('TEST_DB_DRIVER=postgres needs TEST_DATABASE_URL');
		const name = `pingli_t_${randomBytes(6).toString('hex')}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		const database = await openDatabase({ url: url.toString(), dataDir: '' });
		await database.migrate(MIGRATIONS);
		return {
			...database,
			async destroy() {
				await database.close();
				await admin.unsafe(`drop database if exists ${name} with (force)`);
				await admin.end();
			}
		};
	}
	const database = await openDatabase({ dataDir: 'memory://' });
	await database.migrate(MIGRATIONS);
	return { ...database, destroy: () => database.close() };
}
