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

/**
 * Test files that swap an app module (`vi.mock`, `vi.hoisted`) or set the environment the app's modules
 * read when they load: each needs a module graph of its own, since a module imported by an earlier file
 * keeps that file's mocks (for a route, its closed database). Every other file shares one module graph
 * per worker (`isolate: false`): re-evaluating the app, PGlite and drizzle for each file was most of the
 * import time. Workers are threads rather than processes (`pool: 'threads'`), cheaper to start per file.
 * Measured back to back on one machine, two workers: integration on both databases 285 s with every file
 * isolated in its own process, 229 s sharing graphs, 211 s in threads; unit 30 s → 14 s; the same tests passing.
 */
function isolatedFiles(dir: string): string[] {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.test.ts'))
		.filter((file) => /vi\.(mock|doMock|hoisted|stubEnv)\(|process\.env\.\w+\s*=[^=]|delete process\.env/.test(readFileSync(`${dir}/${file}`, 'utf8')))
		.map((file) => `${dir}/${file}`);
}

/** Read once per directory: the config builds several projects from each. */
const ISOLATED = new Map(['tests/unit', 'tests/integration'].map((dir) => [dir, isolatedFiles(dir)]));

/** The files of `dir` for its shared-graph project, or (`isolated`) for its project of one graph per file. */
function files(dir: 'tests/unit' | 'tests/integration', isolated: boolean) {
	const own = ISOLATED.get(dir)!;
	return { pool: 'threads' as const, ...(isolated ? { include: own } : { include: [`${dir}/**/*.test.ts`], exclude: own, isolate: false }) };
}

const LIB_ALIAS = { $lib: new URL('./src/lib', import.meta.url).pathname };

const unit = (name: string, isolated: boolean) => ({
	// The Svelte plugin compiles runes in `.svelte.ts` state classes (e.g. the record's save state).
	plugins: [svelte()],
	resolve: { alias: LIB_ALIAS },
	test: { name, ...files('tests/unit', isolated), environment: 'node' as const, env: { NODE_ENV: 'test' } }
});

const integration = (name: string, driver: 'pglite' | 'postgres', isolated: boolean) => ({
	// Route modules import `$lib/...`; the route-level guard tests load them directly. (An inline
	// project does not inherit the root `resolve`, so the alias sits here.)
	resolve: { alias: LIB_ALIAS },
	test: {
		name,
		...files('tests/integration', isolated),
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
			unit('unit', false),
			unit('unit-isolated', true),
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
