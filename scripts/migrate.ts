/** `npm run db:migrate`: applies the committed migrations; exits non-zero on any failure. */
import { env } from '../src/lib/server/env';
import { closeDatabase, getDatabase } from '../src/lib/server/db';

try {
	const database = await getDatabase();
	await database.migrate(env.migrationsDir);
	console.log(`migrations applied (${database.kind})`);
	await closeDatabase();
} catch (err) {
	console.error('migration failed:', err);
	process.exit(1);
}
