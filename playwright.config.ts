import { defineConfig } from '@playwright/test';
import type { E2eOptions } from './tests/e2e/fixtures';

/**
 * End-to-end tests in Debian's Chromium against the production build (`npm run test:e2e` builds first),
 * served by the production entry `src/server.ts`, never `vite dev`.
 *
 * Each database gets its own server and project running the whole suite (and a `start-<kind>` project
 * for the start/restart acceptance, which runs servers of its own): `pglite` always, on a fresh
 * data directory under /tmp, exactly as `npm start` runs; `postgres` too when E2E_DATABASE_URL names a
 * PostgreSQL server (any database on it that may `create database`), on a fresh `pingli_e2e_<random>`
 * database there with SEED_DEMO=always. A project per database (rather than switching one server) keeps
 * both runs in one report and lets them share the two workers. tests/support/e2e-server.ts makes the
 * database and removes it after the server stops: Playwright starts webServers before any globalSetup,
 * so a globalSetup would be too late to prepare them.
 */
// E2E_PORT moves both servers (pglite on it, postgres on the next port), e.g. for two checkouts at once.
const basePort = Number(process.env.E2E_PORT ?? 4173);
const servers: { kind: E2eOptions['databaseKind']; port: number }[] = [
	{ kind: 'pglite', port: basePort },
	...(process.env.E2E_DATABASE_URL ? [{ kind: 'postgres' as const, port: basePort + 1 }] : [])
];

export default defineConfig<E2eOptions>({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	reporter: 'list',
	workers: 2,
	// Every test is independent (own browser context; the one lock-out uses its own account), so single
	// tests, not whole files, are spread over the workers: the slow start acceptance does not hold up a file.
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	// A failure is a finding: no retries to paper over flakiness.
	retries: 0,
	// Generous: argon2id makes every sign-in cost real CPU, and CI machines are shared.
	timeout: 60_000,
	expect: { timeout: 15_000 },
	use: {
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		},
		// The browser prefers English; the app must still start in Chinese (its strategy ignores it).
		locale: 'en-US',
		timezoneId: 'Asia/Shanghai',
		// Kept under test-results/ as artifacts. For a trace as well, run with `--trace retain-on-failure`.
		screenshot: 'only-on-failure'
	},
	projects: [
		// The start/restart acceptance runs its own servers. Its projects come first so that its cold
		// starts, the slowest tests, begin at once instead of trailing after everything else.
		...servers.map(({ kind }) => ({ name: `start-${kind}`, testMatch: 'start.spec.ts', use: { databaseKind: kind } })),
		...servers.map(({ kind, port }) => ({
			name: kind,
			testIgnore: 'start.spec.ts',
			use: { baseURL: `http://127.0.0.1:${port}`, databaseKind: kind }
		}))
	],
	webServer: servers.map(({ kind, port }) => ({
		command: `node --import tsx tests/support/e2e-server.ts ${kind} ${port}`,
		url: `http://127.0.0.1:${port}/login`,
		// Always a fresh server of this build: never test whatever happens to listen on the port.
		reuseExistingServer: false,
		// A cold PGlite (initdb, migrations, demo county with argon2id hashes) on a busy machine.
		timeout: 240_000,
		stdout: 'ignore',
		stderr: 'pipe',
		// SIGTERM lets the entry close PGlite cleanly and the wrapper drop its database.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 }
	}))
});
