import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './tests/e2e/chromium';
import type { E2eOptions } from './tests/e2e/fixtures';

/**
 * End-to-end tests in Debian's Chromium against the production build (`npm run test:e2e` builds first),
 * served by the built production entry `build/index.js`, never `vite dev`.
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

/** Specs that start servers of their own (start/restart, backup and restore), run in the start-<kind> projects. */
const OWN_SERVERS = ['start.spec.ts', 'backup.spec.ts'];
/** The specs of the `budgets` project; the per-database projects leave them out. */
const FIELD_SPECS = ['budgets.spec.ts', 'field.spec.ts'];
/** nginx with TLS in front of two instances on PostgreSQL and Redis (issue 17; tests/e2e/proxy-stack.ts): one stack, its own project. */
const PROXY_SPECS = ['proxy.spec.ts', 'retention.spec.ts'];

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
			executablePath: CHROMIUM,
			args: CHROMIUM_ARGS
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
		...servers.map(({ kind }) => ({ name: `start-${kind}`, testMatch: OWN_SERVERS, use: { databaseKind: kind } })),
		// Page budgets, accessibility, zoom, read-aloud, large text and the dropping link (issue 19): on an
		// app of their own per worker (tests/e2e/field-app.ts). Both workers, so the accessibility pass (a test
		// per language and size) is shared; bytes, not timings, are measured, so a busy machine does not matter.
		{ name: 'budgets', testMatch: FIELD_SPECS, workers: 2, use: { databaseKind: 'pglite' } },
		// Needs PostgreSQL (two instances share one database); ports E2E_PORT + 10 … + 13. One worker: one stack.
		...(process.env.E2E_DATABASE_URL ? [{ name: 'proxy', testMatch: PROXY_SPECS, workers: 1, fullyParallel: false }] : []),
		...servers.map(({ kind, port }) => ({
			name: kind,
			testIgnore: [...OWN_SERVERS, ...FIELD_SPECS, ...PROXY_SPECS],
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
