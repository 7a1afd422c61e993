import { seedDemoCity } from '../../src/lib/server/seed/city';
import { seedDemo } from '../../src/lib/server/seed/demo';
import { createAppDatabase, openNewAppDatabase, type DatabaseKind } from '../support/app-database';
import { spawnApp, type AppProcess } from '../support/app-process';

/**
 * An app of its own for the walk of a city supervisor (issue 21): the demo county put under 九江市
 * beside a second small county (武宁县, one township, two villages, three matters) and the city's
 * supervisor (`seedDemoCity`). Its own server because the shared one serves the demo as a county
 * installation does, one county at the root, and the other specs count on that.
 */
export async function startCityApp(kind: DatabaseKind): Promise<{ url: string; stop: () => Promise<void> }> {
	const database = await createAppDatabase(kind, { label: 'city', adminUrl: process.env.E2E_DATABASE_URL });
	let app: AppProcess | undefined;
	try {
		const opened = await openNewAppDatabase(database);
		try {
			await seedDemo(opened.db, { onlyIfEmpty: true });
			await seedDemoCity(opened.db);
		} finally {
			await opened.close();
		}
		app = spawnApp({ ...database.env, SEED_DEMO: 'never', SMS_OUTBOX: '1' });
		const url = await app.ready;
		const running = app;
		return {
			url,
			stop: async () => {
				await running.stop();
				await database.dispose();
			}
		};
	} catch (err) {
		await app?.stop();
		await database.dispose();
		throw err;
	}
}
