import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../../src/lib/server/db/client';

/**
 * The migrated embedded start shared by the integration files (tests/support/test-db.ts) and the e2e apps
 * that open their database before their server does (tests/e2e/field-app.ts …). No vitest import, so
 * Playwright's workers can load it too.
 */
const MIGRATIONS = resolve(import.meta.dirname, '../../drizzle');

/** Identifies the committed migrations: a cached migrated database is reused only for the same set. */
export function migrationsHash(): string {
	const hash = createHash('sha256');
	for (const file of readdirSync(MIGRATIONS, { recursive: true, encoding: 'utf8' }).sort()) {
		const path = join(MIGRATIONS, file);
		if (statSync(path).isFile()) hash.update(file).update(readFileSync(path));
	}
	return hash.digest('hex').slice(0, 16);
}

/**
 * An embedded database with every migration applied, as a PGlite dump, made once per set of
 * migrations and kept under node_modules/.cache: starting from it takes well under a second, where
 * creating an empty cluster and migrating it takes some seconds, once per test file.
 */
export async function migratedSnapshot(): Promise<Blob> {
	const cacheDir = resolve(import.meta.dirname, '../../node_modules/.cache/pingli');
	const file = join(cacheDir, `pglite-migrated-${migrationsHash()}.tar`);
	if (!existsSync(file)) {
		const fresh = await openDatabase({ dataDir: 'memory://' });
		await fresh.migrate(MIGRATIONS);
		const dump = await fresh.dump!();
		await fresh.close();
		mkdirSync(cacheDir, { recursive: true });
		// Written aside and renamed: test files starting together never read half a file.
		const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
		writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
		renameSync(partial, file);
	}
	return new Blob([readFileSync(file)]);
}
