import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { executeRows } from '../db/execute-rows';

interface JournalEntry {
	tag: string;
	when: number;
}

/** The migrations this installation ships, in order. */
export function journal(migrationsDir: string): JournalEntry[] {
	return (JSON.parse(readFileSync(join(migrationsDir, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] }).entries;
}

/** The tag of the last migration applied to `db` (drizzle records each by its journal timestamp). */
export async function lastAppliedMigration(db: Db, migrationsDir: string): Promise<string | null> {
	const [row] = await executeRows<{ when: string | null }>(db, sql`select max(created_at)::text as "when" from drizzle.__drizzle_migrations`);
	const when = row?.when ? Number(row.when) : null;
	if (when === null) return null;
	return journal(migrationsDir).find((e) => e.when === when)?.tag ?? `unknown (${when})`;
}
