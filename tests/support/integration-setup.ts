import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Global setup of the integration projects: builds the demo-seeded start once per run, which each
 * file then copies (`createTestDatabase('demo')`), and removes it when the run ends.
 */
export default async function setup(project: TestProject) {
	// The seed runs here, in vitest's own process, with the environment the test files get (e.g. the test
	// SEALING_KEY, so the demo's certificate is made): set before the app's env module is first read.
	for (const [name, value] of Object.entries(project.config.env ?? {})) process.env[name] ??= String(value);
	const { buildDemoStart } = await import('./test-db');
	const driver = project.config.env?.TEST_DB_DRIVER;
	if (driver === 'postgres') {
		const adminUrl = process.env.TEST_DATABASE_URL;
		if (!adminUrl) throw new Error('the integration-pg project needs TEST_DATABASE_URL');
		const built = await buildDemoStart({ adminUrl });
		project.provide('pingli.demoStart', built.start);
		return () => built.dispose();
	}
	const dir = mkdtempSync(join(tmpdir(), 'pingli-demo-start-'));
	try {
		const built = await buildDemoStart({ pgliteFile: join(dir, 'demo.tar') });
		project.provide('pingli.demoStart', built.start);
	} catch (err) {
		rmSync(dir, { recursive: true, force: true });
		throw err;
	}
	return () => rmSync(dir, { recursive: true, force: true });
}
