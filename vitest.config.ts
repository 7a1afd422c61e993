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

const integration = (name: string, driver: 'pglite' | 'postgres') => ({
	// Route modules import `$lib/...`; the route-level guard tests load them directly. (An inline
	// project does not inherit the root `resolve`, so the alias sits here.)
	resolve: { alias: { $lib: new URL('./src/lib', import.meta.url).pathname } },
	test: {
		name,
		include: ['tests/integration/**/*.test.ts'],
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
			integration('integration', 'pglite'),
			...(process.env.TEST_DATABASE_URL ? [integration('integration-pg', 'postgres')] : []),
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
