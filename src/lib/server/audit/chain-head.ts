import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { executeRows } from '../db/execute-rows';
import { GENESIS_HASH } from './record-audit';

/**
 * The audit chain's head: how many rows it holds and the newest row's hash. The chain shows an edited,
 * inserted or deleted row but not rows cut off its end; a head published somewhere we cannot rewrite
 * (an agreement PDF, a verification answer, the monthly report) lets `audit:verify --head` prove the
 * log still holds at least that many rows ending in that hash.
 */
export interface ChainHead {
	count: number;
	hash: string;
}

/** Formats a head as printed and as `audit:verify --head` takes it: `<count>:<hash>`. */
export function formatChainHead(head: ChainHead): string {
	return `${head.count}:${head.hash}`;
}

/** Reads the head in one statement, so count and hash come from the same snapshot. */
export async function readChainHead(db: Db | Tx): Promise<ChainHead> {
	const [row] = await executeRows<{ count: string | number; hash: string | null }>(
		db,
		sql`select (select count(*) from audit_log) as count, (select hash from audit_log order by id desc limit 1) as hash`
	);
	return { count: Number(row?.count ?? 0), hash: row?.hash ?? GENESIS_HASH };
}

/** Reads `<count>:<hash>` as printed; null when it is not one. */
export function parseChainHead(text: string): ChainHead | null {
	const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
	return m ? { count: Number(m[1]), hash: m[2] } : null;
}

export type HeadCheck = { ok: true } | { ok: false; reason: 'short'; rows: number } | { ok: false; reason: 'mismatch'; found: string };

/**
 * Whether the log still holds a published head: at least `count` rows, the `count`-th (in id order)
 * hashing to `hash`. Together with an intact chain this proves every row up to the head is still
 * there unchanged; a log cut below it is `short`, and a cut tail written again is a `mismatch`.
 * Position, not id: ids skip values when a transaction rolls back.
 */
export async function checkChainHead(db: Db | Tx, head: ChainHead): Promise<HeadCheck> {
	if (head.count === 0) return head.hash === GENESIS_HASH ? { ok: true } : { ok: false, reason: 'mismatch', found: GENESIS_HASH };
	const [row] = await executeRows<{ hash: string }>(db, sql`select hash from audit_log order by id offset ${head.count - 1} limit 1`);
	if (!row) return { ok: false, reason: 'short', rows: (await readChainHead(db)).count };
	return row.hash === head.hash ? { ok: true } : { ok: false, reason: 'mismatch', found: row.hash };
}
