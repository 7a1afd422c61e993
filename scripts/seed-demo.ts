/** `npm run seed:demo`: loads the demo county into the configured database (after migrating it). */
import { env } from '../src/lib/server/env';
import { closeDatabase, getDatabase } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed/demo';

try {
	const database = await getDatabase();
	await database.migrate(env.migrationsDir);
	const loaded = await seedDemo(database.db, { onlyIfEmpty: true });
	console.log(loaded ? 'demo data loaded' : 'the database already has data; nothing loaded');
	await closeDatabase();
} catch (err) {
	console.error('seeding failed:', err);
	process.exit(1);
}
