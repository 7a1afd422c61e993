import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { caseEvents, cases } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { rateInput, ratingRefusal, type RateInput } from './rules';
import { verifyQueryCode } from './verify-query-code';

export interface RatePublicCaseOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The resident rates the handling (评: 满意度), 1–5 with an optional comment, once the matter is
 * concluded. The number and code are checked again on every rating, whatever the page sent along,
 * with the same budgets as a lookup. The row is locked, so two ratings sent at once cannot both pass.
 */
export async function ratePublicCase(db: Db, raw: RateInput, ip: string, options: RatePublicCaseOptions = {}): Promise<{ caseId: number }> {
	const { now = new Date() } = options;
	const input = parseInput(rateInput, raw);
	const caseId = await verifyQueryCode(db, input.number, input.code, ip);

	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ status: cases.status, publicRating: cases.publicRating })
			.from(cases)
			.where(eq(cases.id, caseId))
			.for('update');
		const refusal = ratingRefusal(row);
		if (refusal) throw new AppError('conflict', { _form: refusal });

		await tx
			.update(cases)
			.set({ publicRating: input.rating, publicRatingComment: input.comment, publicRatedAt: now, lastActivityAt: now })
			.where(eq(cases.id, caseId));
		// The comment stays on the case (staff read it there); the timeline only says a rating was given.
		await tx.insert(caseEvents).values({
			caseId,
			at: now,
			actorId: null,
			kind: 'public_rating',
			data: { rating: input.rating },
			public: true
		});
		await recordAudit(tx, {
			action: 'case.public_rate',
			actorId: null,
			subjectType: 'case',
			subjectId: caseId,
			ip,
			data: { number: input.number, rating: input.rating, commented: input.comment != null }
		});
	});
	return { caseId };
}
