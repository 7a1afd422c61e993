import { asc, gt } from 'drizzle-orm';
import type { Db } from '../db';
import { auditLog } from '../db/schema';
import { auditRowContent, chainHash, GENESIS_HASH } from './record-audit';

export type ChainResult = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string };

/**
 * Walks the whole log in id order, recomputing each hash from its content and its predecessor's hash.
 * An edited row fails its own hash; a deleted row breaks the next row's link.
 */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<ChainResult> {
	let prev = GENESIS_HASH;
	let lastId = 0;
	let rows = 0;
	for (;;) {
		const page = await db.select().from(auditLog).where(gt(auditLog.id, lastId)).orderBy(asc(auditLog.id)).limit(batch);
		if (page.length === 0) return { ok: true, rows };
		for (const row of page) {
			rows++;
			if (row.prevHash !== prev) return { ok: false, rows, brokenAt: row.id, reason: 'link' };
			if (chainHash(prev, auditRowContent(row)) !== row.hash) return { ok: false, rows, brokenAt: row.id, reason: 'content' };
			prev = row.hash;
			lastId = row.id;
		}
	}
}
