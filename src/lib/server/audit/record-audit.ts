import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { desc, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { auditLog } from '../db/schema';
import { canonicalJson } from './canonical-json';
import { auditEvents, type AuditAction, type AuditData } from './events';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry<A extends AuditAction> {
	action: A;
	actorId: number | null;
	subjectType?: string;
	subjectId?: string | number;
	ip?: string | null;
	data: AuditData<A>;
}

/** The content a row's hash covers: everything but its own id and hash. */
export function auditRowContent(row: {
	at: Date;
	actorId: number | null;
	action: string;
	subjectType: string | null;
	subjectId: string | null;
	ip: string | null;
	data: unknown;
}): string {
	return canonicalJson({
		at: row.at.toISOString(),
		actorId: row.actorId,
		action: row.action,
		subjectType: row.subjectType,
		subjectId: row.subjectId,
		ip: row.ip,
		data: row.data
	});
}

export function chainHash(prevHash: string, content: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(prevHash + content)));
}

/**
 * Appends one audit row, chained to the previous one, inside the transaction that makes the change,
 * so the change and its record commit together. The advisory lock serialises appenders (across
 * instances too) so two rows never claim the same predecessor — but a transaction-level lock lasts
 * only as long as its transaction: on a plain connection each statement is its own transaction, the
 * lock is gone before the select, and concurrent appenders fork the chain. So it takes a `Tx` only;
 * a `Db` does not satisfy that type (it has no `rollback`), which tests/unit/audit-tx-only.test.ts
 * keeps true with `@ts-expect-error`.
 */
export async function recordAudit<A extends AuditAction>(tx: Tx, entry: AuditEntry<A>): Promise<void> {
	// Also at run time, for a handle cast past the type: a fork is silent until someone verifies.
	if (typeof (tx as { rollback?: unknown }).rollback !== 'function') throw new Error('recordAudit needs a transaction');
	const data = auditEvents[entry.action].parse(entry.data);
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext('pingli.audit_log'))`);
	const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
	const prevHash = last?.hash ?? GENESIS_HASH;
	// Millisecond precision: the column keeps exactly what was hashed.
	const at = new Date(Math.floor(Date.now()));
	const row = {
		at,
		actorId: entry.actorId,
		action: entry.action,
		subjectType: entry.subjectType ?? null,
		subjectId: entry.subjectId == null ? null : String(entry.subjectId),
		ip: entry.ip ?? null,
		data
	};
	await tx.insert(auditLog).values({ ...row, prevHash, hash: chainHash(prevHash, auditRowContent(row)) });
}
