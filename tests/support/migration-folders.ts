import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/lib/server/db/client';

export const MIGRATIONS = resolve(import.meta.dirname, '../../drizzle');

interface Journal {
	entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

/** The committed migrations' tags, in order. */
export function migrationTags(): string[] {
	return (JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as Journal).entries.map((e) => e.tag);
}

/**
 * A copy of `drizzle/` that ends at `lastTag` (e.g. the previous release's last migration) and then has
 * `extra` migrations of the test's own (SQL statements separated by drizzle's breakpoint marker).
 */
export function migrationsFolder(options: { lastTag?: string; extra?: { tag: string; sql: string }[] } = {}): { path: string; remove(): void } {
	const path = mkdtempSync(join(tmpdir(), 'pingli-migrations-'));
	cpSync(MIGRATIONS, path, { recursive: true });
	const journalFile = join(path, 'meta/_journal.json');
	const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
	if (options.lastTag) {
		const end = journal.entries.findIndex((e) => e.tag === options.lastTag);
		if (end < 0) throw new Error(`no migration ${options.lastTag}`);
		journal.entries = journal.entries.slice(0, end + 1);
	}
	let when = journal.entries.at(-1)!.when;
	for (const migration of options.extra ?? []) {
		when += 1000;
		journal.entries.push({ idx: journal.entries.length, version: '7', when, tag: migration.tag, breakpoints: true });
		writeFileSync(join(path, `${migration.tag}.sql`), migration.sql);
	}
	writeFileSync(journalFile, JSON.stringify(journal, null, 2));
	return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface EmptyDatabase {
	/** Opens (another) connection to it; each is closed by `destroy`. */
	open(): Promise<Database>;
	destroy(): Promise<void>;
}

/**
 * An empty, unmigrated database of the test run's driver: in-memory PGlite (one connection: it is one
 * process's database), or a new database on TEST_DATABASE_URL that any number of connections may open.
 */
export async function emptyDatabase(): Promise<EmptyDatabase> {
	const opened: Database[] = [];
	if (process.env.TEST_DB_DRIVER === 'postgres') {
		const adminUrl = process.env.TEST_DATABASE_URL!;
		const name = `pingli_m_${randomBytes(6).toString('hex')}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		return {
			async open() {
				const database = await openDatabase({ url: url.toString(), dataDir: '' });
				opened.push(database);
				return database;
			},
			async destroy() {
				for (const database of opened) await database.close();
				await admin.unsafe(`drop database if exists ${name} with (force)`);
				await admin.end();
			}
		};
	}
	const database = await openDatabase({ dataDir: 'memory://' });
	return {
		async open() {
			if (opened.length > 0) throw new Error('an embedded database has one connection');
			opened.push(database);
			return database;
		},
		destroy: () => database.close()
	};
}
