import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { agreements, agreementTerms, termPerformance } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { loadMediationCase } from '../cases/access';
import { parseInput } from '../validation';
import { performanceInput } from './follow-up-rules';

export interface RecordPerformanceOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Whoever runs the case records how a term of its effective agreement is being performed (人民调解法
 * art. 31: the committee supervises performance). Statements are kept; the latest is the term's state.
 */
export async function recordPerformance(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: Record<string, unknown>, options: RecordPerformanceOptions = {}
): Promise<{ performanceId: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, actor, caseId, 'run');
	const [agreement] = await db.select().from(agreements).where(eq(agreements.caseId, row.id)).limit(1);
	if (agreement?.status !== 'effective' || !agreement.effectiveOn) throw new AppError('conflict', { _: 'err_doc_not_effective' });
	const input = parseInput(performanceInput(shanghaiDate(now), agreement.effectiveOn), raw);
	const [term] = await db
		.select({ id: agreementTerms.id, seq: agreementTerms.seq })
		.from(agreementTerms)
		.where(and(eq(agreementTerms.id, input.termId), eq(agreementTerms.agreementId, agreement.id)))
		.limit(1);
	if (!term) throw new AppError('invalid', { termId: 'err_fu_term_required' });

	return db.transaction(async (tx) => {
		const [p] = await tx
			.insert(termPerformance)
			.values({ termId: term.id, done: input.done, doneOn: input.done ? input.doneOn : null, note: input.note, recordedById: actor.id, recordedAt: now })
			.returning({ id: termPerformance.id });
		const data = { performanceId: p.id, termId: term.id, seq: term.seq, done: input.done, doneOn: input.done ? input.doneOn : null };
		await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'performance_record', note: input.note, data }]);
		await recordAudit(tx, { action: 'followup.performance', actorId: actor.id, subjectType: 'case', subjectId: row.id, ip, data });
		return { performanceId: p.id };
	});
}
