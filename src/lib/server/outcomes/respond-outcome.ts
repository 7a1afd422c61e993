import { and, desc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { loadVisibleCase } from '../cases/work/case-snapshot';
import type { Db } from '../db';
import { caseOutcomes, caseParties, outcomeResponses } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { mayRunMediation } from '../cases/access';
import { parseInput } from '../validation';
import { responseInput, type ResponseInput } from './rules';

export interface RespondToOutcomeOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A party's acceptance or refusal (with the reason) of the case's current outcome: said by the party
 * through their own account, or heard and recorded by whoever runs the mediation. A later statement
 * is a new row; the page shows the latest first.
 */
export async function respondToOutcome(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: ResponseInput | Record<string, unknown>, options: RespondToOutcomeOptions = {}
): Promise<{ responseId: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadVisibleCase(db, actor, caseId);
	const input = parseInput(responseInput, raw);
	const [party] = await db
		.select({ id: caseParties.id, userId: caseParties.userId })
		.from(caseParties)
		.where(and(eq(caseParties.id, input.partyId), eq(caseParties.caseId, row.id)))
		.limit(1);
	const runs = mayRunMediation(actor, row);
	if (!party) throw runs ? new AppError('invalid', { partyId: 'err_oc_party_required' }) : new AppError('forbidden');
	// A party speaks only for themselves.
	if (!runs && party.userId !== actor.id) throw new AppError('forbidden');
	const [outcome] = await db
		.select({ id: caseOutcomes.id })
		.from(caseOutcomes)
		.where(eq(caseOutcomes.caseId, row.id))
		.orderBy(desc(caseOutcomes.recordedAt), desc(caseOutcomes.id))
		.limit(1);
	if (!outcome) throw new AppError('conflict', { _: 'err_oc_no_outcome' });

	return db.transaction(async (tx) => {
		const [response] = await tx
			.insert(outcomeResponses)
			.values({ outcomeId: outcome.id, partyId: party.id, accepted: input.accepted, reason: input.reason, recordedById: actor.id, recordedAt: now })
			.returning({ id: outcomeResponses.id });
		const data = { responseId: response.id, outcomeId: outcome.id, partyId: party.id, accepted: input.accepted };
		await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'outcome_response', note: input.reason, data }]);
		await recordAudit(tx, { action: 'outcome.response', actorId: actor.id, subjectType: 'case', subjectId: row.id, ip, data });
		return { responseId: response.id };
	});
}
