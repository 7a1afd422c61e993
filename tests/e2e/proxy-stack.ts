/**
 * The stack of the `proxy` project (issue 17 §1): Debian's nginx with the shipped
 * deploy/nginx/pingli.conf, TLS on loopback with a throwaway self-signed certificate, in front of TWO
 * instances of the built app sharing one PostgreSQL database and one Redis (REDIS_URL), configured as
 * README "Deploying" says (ORIGIN https, ADDRESS_HEADER=x-forwarded-for, XFF_DEPTH=1). Started once per
 * worker (the project has one) and shared by its specs.
 *
 * Ports: E2E_PORT + 10 (http) and + 11 (https) for nginx, + 12 and + 13 for the instances. Needs a
 * PostgreSQL server (E2E_DATABASE_URL), nginx and redis-server (.ci/run installs and checks them).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { createAppDatabase, type AppDatabase } from '../support/app-database';
import { spawnApp, type AppProcess } from '../support/app-process';
import { startRedis, type ThrowawayRedis } from '../support/fault-redis';
import { freePort } from '../support/free-port';
import { startProxy, type RunningProxy } from '../support/nginx-proxy';
import { test as base } from './fixtures';

export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const basePort = Number(process.env.E2E_PORT ?? 4173);
export const PORTS = { http: basePort + 10, https: basePort + 11, apps: [basePort + 12, basePort + 13] as [number, number] };

export interface Stack {
	origin: string;
	proxy: RunningProxy;
	databaseUrl: string;
}

/** nginx, two instances, their database and Redis: started once per worker, stopped after its last test. */
export const test = base.extend<object, { stack: Stack }>({
	stack: [
		async ({}, use) => {
			const adminUrl = process.env.E2E_DATABASE_URL;
			if (!adminUrl) throw new Error('the proxy project needs E2E_DATABASE_URL: two instances share one PostgreSQL database');
			const dir = mkdtempSync(join(tmpdir(), 'pingli-proxy-'));
			const apps: AppProcess[] = [];
			let database: AppDatabase | undefined;
			let redis: ThrowawayRedis | undefined;
			let proxy: RunningProxy | undefined;
			try {
				database = await createAppDatabase('postgres', { label: 'proxy', adminUrl });
				redis = await startRedis(await freePort());
				const origin = `https://127.0.0.1:${PORTS.https}`;
				const shared = {
					...database.env,
					REDIS_URL: redis.url,
					ORIGIN: origin,
					ADDRESS_HEADER: 'x-forwarded-for',
					XFF_DEPTH: '1',
					SMS_OUTBOX: '1',
					SEALING_KEY: randomBytes(32).toString('base64'),
					// Stored files on a folder both instances share, as a county's would be.
					DATA_DIR: join(dir, 'data')
				};
				// The first instance migrates and seeds; the second starts on the ready database.
				apps.push(spawnApp({ ...shared, PORT: String(PORTS.apps[0]) }, { logFile: join(dir, 'app-a.log') }));
				await apps[0].ready;
				apps.push(spawnApp({ ...shared, PORT: String(PORTS.apps[1]), SEED_DEMO: 'never' }, { logFile: join(dir, 'app-b.log') }));
				await apps[1].ready;
				proxy = await startProxy(dir, PORTS);
				await use({ origin, proxy, databaseUrl: database.env.DATABASE_URL });
			} finally {
				await proxy?.stop();
				await Promise.all(apps.map((app) => app.stop('SIGTERM')));
				await redis?.dispose();
				await database?.dispose();
				rmSync(dir, { recursive: true, force: true });
			}
		},
		{ scope: 'worker', timeout: 240_000 }
	]
});

const contexts: BrowserContext[] = [];
/** Closes the contexts `pinnedPage` opened: each spec calls it in its own `test.afterEach`. */
export async function closePinned(): Promise<void> {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
}

/** A browser context through nginx, pinned to instance `a` or `b`. */
export async function pinnedPage(browser: Browser, origin: string, pin: 'a' | 'b', phone = false): Promise<Page> {
	const context = await browser.newContext({ baseURL: origin, ignoreHTTPSErrors: true, locale: 'zh-CN', ...(phone ? PHONE : {}) });
	contexts.push(context);
	await context.addCookies([{ name: 'pingli_pin', value: pin, url: origin }]);
	return context.newPage();
}

export const upstreamOf = (pin: 'a' | 'b') => `127.0.0.1:${PORTS.apps[pin === 'a' ? 0 : 1]}`;

