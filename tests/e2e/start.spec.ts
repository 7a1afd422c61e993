/**
 * Acceptance: "A fresh clone: `npm ci && npm start` serves the login page in Chinese on the embedded
 * database; stopping and starting again keeps the data" — and the same on a real PostgreSQL.
 *
 * It lives with the e2e tests, not the vitest integration tests, because it needs the production build,
 * which `npm run test:e2e` makes (`npm test` runs the integration tests before that build, so from a
 * fresh clone there is none yet), and because it drives the built app from outside, through a browser.
 * It starts its own servers (`build/index.js`, what `npm start` runs) on port 0, in its
 * own projects: `start-pglite` on a fresh PGlite directory with every default, and `start-postgres` on a
 * fresh database on the E2E_DATABASE_URL server.
 */
import { createAppDatabase } from '../support/app-database';
import { spawnApp, type AppProcess } from '../support/app-process';
import { DEMO_ACCOUNTS, expect, sessionCookie, signIn, test } from './fixtures';

const seeded = (logs: { msg?: string }[]) => logs.some((l) => l.msg?.startsWith('demo data loaded'));

test('a fresh start serves the login page in Chinese; stopping and starting again keeps the data', async ({
	page,
	databaseKind,
	pageWithCookie
}) => {
	// Two cold starts of the server (waited for by their log line, not by time) on a possibly busy machine.
	test.setTimeout(480_000);
	const database = await createAppDatabase(databaseKind, { label: 'start', adminUrl: process.env.E2E_DATABASE_URL });
	const running: AppProcess[] = [];
	const launch = () => {
		const app = spawnApp(database.env);
		running.push(app);
		return app;
	};
	try {
		const first = launch();
		const firstUrl = await first.ready;
		expect(seeded(first.logs)).toBe(true);

		await page.goto(`${firstUrl}/login`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await expect(page.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();
		const admin = DEMO_ACCOUNTS.find((a) => a.username === 'admin')!;
		await signIn(page, admin.username);
		await expect(page).toHaveURL(`${firstUrl}/`);
		await expect(page.getByRole('heading', { level: 1, name: admin.name })).toBeVisible();
		// The session row written in the first run is the marker that must survive the restart.
		const cookie = await sessionCookie(page.context());

		expect(await first.stop('SIGTERM')).toBe(0);

		const second = launch();
		const secondUrl = await second.ready;
		expect(seeded(second.logs), 'the demo county is loaded only into an empty database').toBe(false);
		const again = await pageWithCookie({ name: cookie.name, value: cookie.value, url: secondUrl }, secondUrl);
		await again.goto('/');
		await expect(again).toHaveURL(`${secondUrl}/`);
		await expect(again.getByRole('heading', { level: 1, name: admin.name })).toBeVisible();

		expect(await second.stop('SIGTERM')).toBe(0);
	} finally {
		// After a failure: no server may outlive the test or hold the database being removed.
		for (const app of running) await app.stop('SIGKILL');
		await database.dispose();
	}
});
