import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { agreements, caseParties } from '../db/schema';
import { logger } from '../logger';
import { agreementCopy } from './agreement-copy';

/**
 * Seals and stores every copy of an agreement that has just taken effect — each party's and the
 * committee's (人民调解法 art. 29) — so that each is sealed and time-stamped at the moment the
 * agreement took effect rather than at its first download. Runs after the signature's commit; a copy
 * that fails here (a timestamp authority down) is made at its first download instead, so failures are
 * logged, not thrown.
 */
export async function issueCopies(db: Db, caseId: number, by: { actorId: number | null; origin: string; ip?: string }): Promise<void> {
	try {
		const [agreement] = await db.select().from(agreements).where(eq(agreements.caseId, caseId)).limit(1);
		if (!agreement || agreement.status !== 'effective') return;
		const parties = await db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, caseId)).orderBy(caseParties.sortOrder);
		for (const holder of [...parties.map((p) => p.id), null]) await agreementCopy(db, agreement, holder, by);
	} catch (err) {
		logger.warn({ err, caseId }, 'copies not sealed at effect; they will be made at first download');
	}
}
