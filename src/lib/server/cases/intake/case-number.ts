import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { caseNumberCounters } from '../../db/schema';

/** Shanghai calendar year of an instant. */
/** Made once: building a formatter costs far more than using it (seed:bulk asks for 2 million years). */
const SHANGHAI_YEAR = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Shanghai' });

export function shanghaiYear(at: Date): number {
	return Number(SHANGHAI_YEAR.format(at));
}

/** The next case number of the year, e.g. `2026-000123`; the counter row is locked by the upsert. */
export async function nextCaseNumber(tx: Db | Tx, at: Date): Promise<string> {
	const year = shanghaiYear(at);
	const [row] = await tx
		.insert(caseNumberCounters)
		.values({ year, last: 1 })
		.onConflictDoUpdate({ target: caseNumberCounters.year, set: { last: sql`${caseNumberCounters.last} + 1` } })
		.returning({ last: caseNumberCounters.last });
	return `${year}-${String(row.last).padStart(6, '0')}`;
}

/** Eight characters without look-alikes (no 0/O, 1/I/L): easy to read out over the phone. */
export function generateQueryCode(): string {
	const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
	const bytes = new Uint8Array(8);
	crypto.getRandomValues(bytes);
	// 256 is not a multiple of 31; the bias (< 1%) does not matter at this length with rate limits.
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function hashQueryCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(code.normalize('NFKC').trim().toUpperCase())));
}
