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
