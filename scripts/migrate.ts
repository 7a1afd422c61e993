/** `npm run db:migrate`: applies the committed migrations; exits non-zero on any failure. */
import { env } from '../src/lib/server/env';
import { closeDatabase, getDatabase } from '../src/lib/server/db';
import { applyMigrations } from '../src/lib/server/prepare';

try {
	const database = await getDatabase();
	await applyMigrations(database, env.migrationsDir);
	console.log(`migrations applied (${database.kind})`);
	await closeDatabase();
} catch (err) {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
}
