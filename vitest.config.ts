import { readdirSync, readFileSync } from 'node:fs';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * unit: pure code, no database. integration: a fresh database per file with the real migrations —
 * on PGlite always, and on the real PostgreSQL of TEST_DATABASE_URL too when it is set; a file asks
 * for the demo county with `createTestDatabase('demo')` and gets a copy of a dump made once per run
 * (tests/support/integration-setup.ts). faults: two
 * collaboration server processes on a throwaway PostgreSQL and Redis of their own, one file at a time.
 */
/** A fixed key for the tests' sealing certificates (the demo seed makes one per county). */
const TEST_SEALING_KEY = Buffer.alloc(32, 7).toString('base64');

const INTEGRATION_DIR = 'tests/integration';
/**
 * Integration files that swap an app module (`vi.mock`, `vi.hoisted`) or set the environment the app's
 * modules read when they load: each needs a module graph of its own, since a route module imported by an
 * earlier file keeps that file's (closed) database. Every other file shares one module graph per worker
 * (`isolate: false`): re-evaluating the app, PGlite and drizzle for each of ~90 files cost a fifth of the run
 * (both databases, two workers, back to back on one machine: 285 s with every file isolated, 229 s so, the same
 * 1,141 tests passing).
 */
const ISOLATED = readdirSync(INTEGRATION_DIR)
	.filter((file) => file.endsWith('.test.ts'))
	.filter((file) =>
		/vi\.(mock|doMock|hoisted|stubEnv)\(|process\.env\.\w+\s*=[^=]|delete process\.env/.test(readFileSync(`${INTEGRATION_DIR}/${file}`, 'utf8'))
	)
	.map((file) => `${INTEGRATION_DIR}/${file}`);

const integration = (name: string, driver: 'pglite' | 'postgres', isolated: boolean) => ({
	// Route modules import `$lib/...`; the route-level guard tests load them directly. (An inline
	// project does not inherit the root `resolve`, so the alias sits here.)
	resolve: { alias: { $lib: new URL('./src/lib', import.meta.url).pathname } },
	test: {
		name,
		...(isolated ? { include: ISOLATED } : { include: [`${INTEGRATION_DIR}/**/*.test.ts`], exclude: ISOLATED, isolate: false }),
		environment: 'node',
		globalSetup: ['tests/support/integration-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// SMS_OUTBOX: the development outbox stands in for a provider, as in the demo.
		env: { TEST_DB_DRIVER: driver, NODE_ENV: 'test', SMS_OUTBOX: '1', SEALING_KEY: TEST_SEALING_KEY }
	}
});

export default defineConfig({
	test: {
		projects: [
			// The Svelte plugin compiles runes in `.svelte.ts` state classes (e.g. the record's save state).
			{ plugins: [svelte()], resolve: { alias: { $lib: new URL('./src/lib', import.meta.url).pathname } }, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', env: { NODE_ENV: 'test' } } },
			integration('integration', 'pglite', false),
			integration('integration-isolated', 'pglite', true),
			...(process.env.TEST_DATABASE_URL
				? [integration('integration-pg', 'postgres', false), integration('integration-pg-isolated', 'postgres', true)]
				: []),
			{
				test: {
					name: 'faults',
					include: ['tests/faults/**/*.test.ts'],
					environment: 'node',
					// Each file starts its own servers; two at once would starve each other on two cores.
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 120_000,
					env: { NODE_ENV: 'test' }
				}
			}
		]
	}
});
