import { env } from '../env';
import { logger } from '../logger';
import { seedDemo } from '../seed/demo';
import { getDatabase } from './index';

const KEY = Symbol.for('pingli.database.prepared');
type Holder = { [KEY]?: Promise<void> };

/**
 * Applies the committed migrations and, on the embedded default (or when SEED_DEMO=always), loads the
 * demo county into an empty database. Runs once per process, however many module copies ask.
 */
export function prepareDatabase(): Promise<void> {
	const holder = globalThis as Holder;
	holder[KEY] ??= (async () => {
		const database = await getDatabase();
		await database.migrate(env.migrationsDir);
		const wantDemo = env.SEED_DEMO === 'always' || (env.SEED_DEMO === 'auto' && database.kind === 'pglite');
		if (wantDemo) {
			const seeded = await seedDemo(database.db, { onlyIfEmpty: true });
			if (seeded) logger.info('demo data loaded (see README for the demo logins)');
		}
	})().catch((err) => {
		delete holder[KEY];
		throw err;
	});
	return holder[KEY];
}
