import { env } from './env';
import { logger } from './logger';
import { writeRunningMarker } from './db/running-marker';
import { seedDemo } from './seed/demo';
import { ensureDemoCertificates } from './sealing/demo-certificate-install';
import { getDatabase, type Database } from './db';

let prepared: Promise<void> | null = null;

/** A start stopped by a failing migration: the message says what an operator needs to know. */
export class MigrationFailedError extends Error {
	constructor(cause: unknown) {
		const reason = describeCause(cause);
		super(
			`database migration failed, the app did not start. Pending migrations run in one transaction, so none of them ` +
				`was applied and the database is as it was before this start. Cause: ${reason}`,
			{ cause }
		);
		this.name = 'MigrationFailedError';
	}
}

/** The database's own words (drizzle wraps them in "Failed query: <the whole migration>"). */
function describeCause(cause: unknown): string {
	const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
	const text = inner instanceof Error ? inner.message : String(inner);
	return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** Runs the migrations (under a lock on PostgreSQL, see migrate-postgres.ts) and names a failure plainly. */
export async function applyMigrations(database: Database, folder = env.migrationsDir): Promise<void> {
	try {
		await database.migrate(folder);
	} catch (err) {
		const failure = new MigrationFailedError(err);
		logger.fatal({ err: failure.cause }, failure.message);
		throw failure;
	}
}

/**
 * Applies the committed migrations and, on the embedded default (or when SEED_DEMO=always), loads the
 * demo county into an empty database. Runs once per process, however many callers ask (the app's
 * `init` hook and the entry's `serve`).
 */
export function prepareDatabase(): Promise<void> {
	prepared ??= (async () => {
		const database = await getDatabase();
		await applyMigrations(database);
		if (database.kind === 'pglite' && !env.dataDir.startsWith('memory://')) writeRunningMarker(env.dataDir);
		const wantDemo = env.SEED_DEMO === 'always' || (env.SEED_DEMO === 'auto' && database.kind === 'pglite');
		if (wantDemo) {
			const seeded = await seedDemo(database.db, { onlyIfEmpty: true });
			if (seeded) logger.info('demo data loaded (see README for the demo logins)');
		}
		// Development: every county gets a self-signed 演示 certificate, so copies made while developing are sealed.
		if (env.NODE_ENV === 'development') await database.db.transaction((tx) => ensureDemoCertificates(tx));
	})().catch((err) => {
		prepared = null;
		throw err;
	});
	return prepared;
}
