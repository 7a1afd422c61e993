import { and, eq } from 'drizzle-orm';
import { dbRateLimiter, takeAll } from '../auth/rate-limit';
import { hashQueryCode } from '../cases/intake/case-number';
import type { Db } from '../db';
import { cases } from '../db/schema';
import { AppError } from '../errors';
import { PUBLIC_TRACK_PER_ADDRESS, PUBLIC_TRACK_PER_NUMBER_ADDRESS } from './rules';

/**
 * Finds the case a (normalised) number + query code open, or throws. A wrong number and a wrong code
 * take the same path: the attempt counted in both budgets first (so parallel guesses cannot all get
 * through before the count), the code hashed, one query on number AND hash, and the same `not_found`
 * — so neither the answer nor its timing says whether the number exists. A success gives the attempt
 * back: only failures count. Comparing in SQL is fine: the caller controls the code, not its SHA-256,
 * so an early mismatch in the digest reveals nothing usable about the stored one.
 */
export async function verifyQueryCode(db: Db, number: string, code: string, ip: string): Promise<number> {
	const refund = await takeAll([
		[dbRateLimiter(db, PUBLIC_TRACK_PER_ADDRESS), ip],
		[dbRateLimiter(db, PUBLIC_TRACK_PER_NUMBER_ADDRESS), `${number}@${ip}`]
	]);
	const hash = hashQueryCode(code);
	const [row] = await db
		.select({ id: cases.id })
		.from(cases)
		.where(and(eq(cases.number, number), eq(cases.queryCodeHash, hash)))
		.limit(1);
	if (!row) throw new AppError('not_found');
	await refund();
	return row.id;
}
