/**
 * The bulk seed's writer for a real PostgreSQL: each batch goes in by COPY, in PostgreSQL's text format, three
 * COPYs (matters, parties, events) in one transaction. A matter's id is drawn from its sequence before the
 * batch is encoded, so its parties and events carry it and nothing has to be joined back by number. Measured
 * against the one-statement JSON insert that PGlite keeps (issue 21): the database spends a fraction of the
 * time on each matter, and Node no longer builds a JSON document of every batch.
 *
 * Written here rather than taken from a library: the rows are already the drizzle tables' own insert
 * objects, and each value is put through its column's own `mapToDriverValue` (so dates, JSON and numbers
 * come out exactly as an INSERT would send them); what is left is the text format's four escapes.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';

/** One table's part of a batch: its quoted column list and the rows as COPY text. */
export interface CopyPart {
	table: string;
	columns: string;
	text: string;
}

/**
 * Encodes rows for `COPY table (columns) FROM STDIN`: the columns are the keys any row has (a row without
 * one gets NULL, as the JSON insert gave it), each value mapped by its column. `extra` names a column every
 * row gets from outside the row (the matter's id for its parties and events) and its value per row.
 */
export function copyPart(table: PgTable, rows: Record<string, unknown>[], extra?: { column: string; values: number[] }): CopyPart {
	const all = getTableColumns(table);
	const keys = rowKeys(table, rows);
	const columns = keys.map((k) => all[k]);
	const lines: string[] = [];
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		const cells = extra ? [String(extra.values[i])] : [];
		for (let c = 0; c < keys.length; c++) {
			const value = row[keys[c]];
			cells.push(value == null ? '\\N' : copyValue(columns[c].mapToDriverValue(value)));
		}
		lines.push(cells.join('\t'));
	}
	const names = [...(extra ? [extra.column] : []), ...columns.map((c) => c.name)];
	return { table: `"${getTableName(table)}"`, columns: names.map((n) => `"${n}"`).join(', '), text: lines.length ? `${lines.join('\n')}\n` : '' };
}

/**
 * The keys any of the rows has (`caseNumber`, which names the matter a party or event belongs to, aside), each
 * checked to be a column of the table. Both writers (COPY here, the JSON statement of seed-bulk.ts) fill these.
 */
export function rowKeys(table: PgTable, rows: Record<string, unknown>[]): string[] {
	const all = getTableColumns(table);
	const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'caseNumber');
	const unknown = keys.find((k) => !Object.hasOwn(all, k));
	if (unknown) throw new Error(`${unknown} is not a column of ${getTableName(table)}`);
	return keys;
}

/** A driver value in COPY's text format: booleans as t/f, and backslash, tab, newline and return escaped. */
function copyValue(value: unknown): string {
	if (typeof value === 'boolean') return value ? 't' : 'f';
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (typeof value !== 'string') throw new Error(`no COPY text for a ${typeof value} value`);
	return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (ch) => ESCAPES[ch]) : value;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The parts of one batch, one COPY each, in one transaction: all of the batch is stored or none of it. */
export async function copyBatch(client: postgres.Sql, parts: CopyPart[]): Promise<void> {
	await client.begin(async (tx) => {
		// A batch that fills the search index's pending list folds it into the index, sorting in work_mem.
		await tx.unsafe(`set local work_mem = '256MB'`);
		for (const part of parts) {
			if (!part.text) continue;
			const copy = tx.unsafe(`copy ${part.table} (${part.columns}) from stdin`);
			const failed = failureOf(copy);
			const writable = await copy.writable();
			await Promise.race([pipeline(Readable.from([Buffer.from(part.text)]), writable), failed]);
		}
	});
}

/**
 * Rejects with the server's error when a COPY fails after its data were sent (a broken key, a bad value: the
 * server says so only after the end of the data). postgres.js 3.4.9 hands that error to the query, whose
 * promise has already resolved to the stream, and never finishes the stream, so waiting on the stream alone
 * would hang with the transaction open (porsager/postgres#1173; the fix, #1183, is not released). So the
 * query's reject is watched as well. Handled here, so an error met before the stream exists (which the
 * caller gets from `writable()`) is not reported twice.
 */
function failureOf(query: object): Promise<never> {
	const watched = query as unknown as { reject: (err: unknown) => void };
	const reject = watched.reject;
	const failed = new Promise<never>((_, fail) => {
		watched.reject = (err) => {
			fail(err);
			reject(err);
		};
	});
	failed.catch(() => {});
	return failed;
}

/** `n` fresh ids of a table's identity column, drawn from its sequence (safe beside other writers). */
export async function reserveIds(client: postgres.Sql, table: string, n: number): Promise<number[]> {
	const rows = await client<{ id: string }[]>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${n})`;
	return rows.map((r) => Number(r.id));
}
