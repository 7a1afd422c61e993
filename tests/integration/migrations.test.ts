/**
 * Upgrades without surprises: instances starting at once migrate one at a time, a failing migration
 * leaves the database as it was, and a database made by the previous release's migrations, with data
 * in it, upgrades to this one.
 */
import { count, sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import type { Database } from '../../src/lib/server/db/client';
import { cases, caseParties, places, users } from '../../src/lib/server/db/schema';
import { applyMigrations, MigrationFailedError } from '../../src/lib/server/prepare';
import { emptyDatabase, MIGRATIONS, migrationsFolder, migrationTags, type EmptyDatabase } from '../support/migration-folders';

/**
 * The last migration of the previous release: what a county that installed it has. Move it forward
 * at each release.
 */
const PREVIOUS_RELEASE = '0019_duty_roster';
const postgresRun = process.env.TEST_DB_DRIVER === 'postgres';

/**
 * tests/fixtures/previous-release-demo.sql split into statements: pg_dump --inserts starts each on a
 * line of its own, so a `;` ending a line before one of these keywords ends a statement.
 */
function fixtureStatements(): string[] {
	const text = readFileSync(resolve(import.meta.dirname, '../fixtures/previous-release-demo.sql'), 'utf8');
	return text
		.split(/;\n(?=(?:\s*\n|--[^\n]*\n)*(?:INSERT INTO|SELECT|SET|ALTER TABLE) )/)
		.map((s) => s.replace(/^(--[^\n]*\n|\s)+/, '').replace(/;\s*$/, ''))
		// pg_dump empties search_path for its own session; here the connection is shared with the test.
		.filter((s) => s.length > 0 && !s.startsWith("SELECT pg_catalog.set_config('search_path'"));
}

let target: EmptyDatabase | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
	await target?.destroy();
	target = undefined;
	for (const cleanup of cleanups.splice(0)) cleanup();
});

async function applied(database: Database): Promise<number> {
	const rows = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
	return Number((Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows)[0].n);
}

async function tableExists(database: Database, name: string): Promise<boolean> {
	const rows = await database.db.execute<{ found: string | null }>(sql`select to_regclass(${name})::text as found`);
	return (Array.isArray(rows) ? rows : (rows as { rows: { found: string | null }[] }).rows)[0].found !== null;
}

describe('migrations at start', () => {
	// PGlite needs no lock: one process owns a data directory (see db/client.ts), so there is no second starter.
	it.skipIf(!postgresRun)('two instances starting at once on one PostgreSQL database migrate it once, without error', async () => {
		target = await emptyDatabase();
		const [first, second, third] = await Promise.all([target.open(), target.open(), target.open()]);
		await Promise.all([applyMigrations(first, MIGRATIONS), applyMigrations(second, MIGRATIONS), applyMigrations(third, MIGRATIONS)]);
		expect(await applied(first)).toBe(migrationTags().length);
	}, 120_000);

	it('a failing migration stops with a plain message and leaves the database, its data and its migrations as they were', async () => {
		target = await emptyDatabase();
		const database = await target.open();
		await applyMigrations(database, MIGRATIONS);
		await database.db.insert(places).values({ kind: 'county', name: '𠮷水县' });
		const before = { migrations: await applied(database), places: await database.db.select({ name: places.name }).from(places) };
		const broken = migrationsFolder({
			extra: [
				{ tag: '9001_good_first', sql: 'CREATE TABLE "upgrade_probe_a" ("id" integer);' },
				{
					tag: '9002_fails_half_way',
					sql: 'CREATE TABLE "upgrade_probe_b" ("id" integer);\n--> statement-breakpoint\nALTER TABLE "users" ADD COLUMN "probe" integer;\n--> statement-breakpoint\nSELECT 1 / 0;'
				}
			]
		});
		cleanups.push(broken.remove);

		const failure = await applyMigrations(database, broken.path).catch((err: unknown) => err);
		expect(failure).toBeInstanceOf(MigrationFailedError);
		expect((failure as Error).message).toMatch(/none of them was applied/);
		expect((failure as Error).message).toMatch(/division by zero/);

		expect(await tableExists(database, 'upgrade_probe_a')).toBe(false);
		expect(await tableExists(database, 'upgrade_probe_b')).toBe(false);
		const columns = await database.db.execute(sql`select 1 from information_schema.columns where table_name = 'users' and column_name = 'probe'`);
		expect((Array.isArray(columns) ? columns : (columns as { rows: unknown[] }).rows).length).toBe(0);
		expect(await applied(database)).toBe(before.migrations);
		expect(await database.db.select({ name: places.name }).from(places)).toEqual(before.places);
	}, 120_000);

	it("upgrades a database made by the previous release's migrations, with the demo county it wrote", async () => {
		const tags = migrationTags();
		expect(tags, 'PREVIOUS_RELEASE names a committed migration').toContain(PREVIOUS_RELEASE);
		target = await emptyDatabase();
		const database = await target.open();
		const previous = migrationsFolder({ lastTag: PREVIOUS_RELEASE });
		cleanups.push(previous.remove);
		await applyMigrations(database, previous.path);
		// The data as the previous release wrote it (the current seed writes columns that release lacks).
		for (const statement of fixtureStatements()) await database.db.execute(sql.raw(statement));
		const before = {
			cases: (await database.db.select({ n: count() }).from(cases))[0].n,
			parties: (await database.db.select({ n: count() }).from(caseParties))[0].n,
			users: (await database.db.select({ n: count() }).from(users))[0].n
		};
		expect(before.cases).toBeGreaterThan(0);

		await applyMigrations(database, MIGRATIONS);

		expect(await applied(database)).toBe(tags.length);
		expect((await database.db.select({ n: count() }).from(cases))[0].n).toBe(before.cases);
		expect((await database.db.select({ n: count() }).from(caseParties))[0].n).toBe(before.parties);
		expect((await database.db.select({ n: count() }).from(users))[0].n).toBe(before.users);
		expect((await verifyAuditChain(database.db)).ok).toBe(true);
	}, 300_000);
});
