import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { caseOutcomes, caseParties, returnVisits } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { loadMediationCase } from '../cases/access';
import { parseInput } from '../validation';
import { visitInput } from './follow-up-rules';

export interface RecordVisitOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A return visit (回访) to one party once the case has an outcome: when, how, and the party's
 * satisfaction (1–5) with a comment, feeding the county's "事心双解" figures.
 */
export async function recordVisit(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: Record<string, unknown>, options: RecordVisitOptions = {}
): Promise<{ visitId: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, actor, caseId, 'run');
	const input = parseInput(visitInput(shanghaiDate(now)), raw);
	const [[outcome], [party]] = await Promise.all([
		db.select({ id: caseOutcomes.id }).from(caseOutcomes).where(eq(caseOutcomes.caseId, row.id)).limit(1),
		db
			.select({ id: caseParties.id })
			.from(caseParties)
			.where(and(eq(caseParties.id, input.partyId), eq(caseParties.caseId, row.id)))
			.limit(1)
	]);
	if (!outcome) throw new AppError('conflict', { _: 'err_oc_no_outcome' });
	if (!party) throw new AppError('invalid', { partyId: 'err_fu_party_required' });

	return db.transaction(async (tx) => {
		const [visit] = await tx
			.insert(returnVisits)
			.values({
				caseId: row.id,
				partyId: party.id,
				visitedOn: input.visitedOn!,
				method: input.method,
				satisfaction: input.satisfaction,
				comment: input.comment,
				recordedById: actor.id,
				recordedAt: now
			})
			.returning({ id: returnVisits.id });
		const data = { visitId: visit.id, partyId: party.id, visitedOn: input.visitedOn!, method: input.method, satisfaction: input.satisfaction };
		await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'return_visit', note: input.comment, data }]);
		await recordAudit(tx, { action: 'followup.visit', actorId: actor.id, subjectType: 'case', subjectId: row.id, ip, data });
		return { visitId: visit.id };
	});
}
