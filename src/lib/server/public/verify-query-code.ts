import { and, eq } from 'drizzle-orm';
import { dbRateLimiter } from '../auth/rate-limit';
import { hashQueryCode } from '../cases/intake/case-number';
import type { Db } from '../db';
import { cases } from '../db/schema';
import { AppError } from '../errors';
import { PUBLIC_TRACK_PER_ADDRESS, PUBLIC_TRACK_PER_NUMBER } from './rules';

/**
 * Finds the case a (normalised) number + query code open, or throws. A wrong number and a wrong code
 * take the same path: both budgets checked, the code hashed, one query on number AND hash, both
 * budgets charged, and the same `not_found` — so neither the answer nor its timing says whether the
 * number exists. Comparing in SQL is fine: the caller controls the code, not its SHA-256, so an early
 * mismatch in the digest reveals nothing usable about the stored one.
 */
export async function verifyQueryCode(db: Db, number: string, code: string, ip: string): Promise<number> {
	const perAddress = dbRateLimiter(db, PUBLIC_TRACK_PER_ADDRESS);
	const perNumber = dbRateLimiter(db, PUBLIC_TRACK_PER_NUMBER);
	if (!(await perAddress.check(ip)) || !(await perNumber.check(number))) throw new AppError('rate_limited');

	const hash = hashQueryCode(code);
	const [row] = await db
		.select({ id: cases.id })
		.from(cases)
		.where(and(eq(cases.number, number), eq(cases.queryCodeHash, hash)))
		.limit(1);
	if (!row) {
		await perAddress.consume(ip);
		await perNumber.consume(number);
		throw new AppError('not_found');
	}
	return row.id;
}
