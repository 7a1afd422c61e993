/**
 * `--explain` of the database benchmarks: the plan of every statement one figure sends, read with
 * EXPLAIN (ANALYZE, BUFFERS) on the same database, so that a slower figure can be read from its plan
 * rather than guessed. The statements are caught where drizzle logs them (its session's logger, here
 * set for the bench only), so a use case, a whole page load and raw SQL are all seen as they are sent.
 */
import type { Database } from '../../src/lib/server/db';

interface Statement {
	sql: string;
	params: unknown[];
}

/** The part of drizzle's session the logger hangs on (not in its public types). */
interface SessionWithLogger {
	logger: { logQuery(query: string, params: unknown[]): void };
	options?: { logger?: unknown };
}

/**
 * Runs `run` once with every statement it sends recorded, then prints each with its plan. EXPLAIN
 * ANALYZE runs a statement again, so only reads may be explained (the benches only read).
 */
export async function explainRun(database: Database, label: string, run: () => unknown): Promise<void> {
	const session = (database.db as unknown as { session: SessionWithLogger }).session;
	const statements: Statement[] = [];
	const previous = session.logger;
	session.logger = { logQuery: (sql, params) => statements.push({ sql, params }) };
	try {
		await run();
	} finally {
		session.logger = previous;
	}
	console.log(`\n=== ${label}: ${statements.length} statement${statements.length === 1 ? '' : 's'}`);
	for (const [index, statement] of statements.entries()) {
		console.log(`--- ${index + 1}. ${oneLine(statement.sql)}`);
		if (statement.params.length) console.log(`    params: ${oneLine(JSON.stringify(statement.params.map(shorten)))}`);
		if (!/^\s*(select|with)\b/i.test(statement.sql)) {
			console.log('    (not a read: not explained)');
			continue;
		}
		for (const line of await plan(database, statement)) console.log(`    ${line}`);
	}
}

async function plan(database: Database, statement: Statement): Promise<string[]> {
	const query = `explain (analyze, buffers) ${statement.sql}`;
	const client = (database.db as unknown as { $client: unknown }).$client;
	if (database.kind === 'postgres') {
		const rows = await (client as { unsafe(q: string, p: unknown[]): Promise<Record<string, string>[]> }).unsafe(query, statement.params);
		return rows.map((r) => r['QUERY PLAN']);
	}
	const result = await (client as { query(q: string, p: unknown[]): Promise<{ rows: Record<string, string>[] }> }).query(query, statement.params);
	return result.rows.map((r) => r['QUERY PLAN']);
}

const oneLine = (text: string) => {
	const flat = text.replace(/--[^\n]*\n/g, ' ').replace(/\s+/g, ' ').trim();
	return flat.length > 600 ? `${flat.slice(0, 600)} … (${flat.length} characters)` : flat;
};

/** A long parameter (an id list, a document) shown by its opening. */
const shorten = (value: unknown) => (typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}… (${value.length} characters)` : value);
