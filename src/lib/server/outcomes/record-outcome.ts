import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { transitionCase } from '../cases/work/transition-case';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { agreements, caseOutcomes } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { loadMediationCase } from '../cases/access';
import { parseInput } from '../validation';
import { CONCLUSION_REASON, outcomeInput, ROUTE_NAMES, type OutcomeInput, type ParsedOutcome } from './rules';

export interface RecordOutcomeOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Whoever runs a case's mediation records how it ended. The case moves through the state machine in
 * the same transaction: concluded with the written reply, or — a failure the office cannot settle at
 * this level — escalated to the next one (art. 26: the routes told to the parties are kept either
 * way). The state machine decides whether the step is allowed now; a refusal writes nothing.
 */
export async function recordOutcome(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: OutcomeInput | Record<string, unknown>, options: RecordOutcomeOptions = {}
): Promise<{ outcomeId: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, actor, caseId, 'run');
	const input = parseInput(outcomeInput, raw);
	if (input.kind === 'written_agreement') {
		// Art. 29: a written agreement exists once every party, the mediator and the seal are on it.
		const [effective] = await db
			.select({ id: agreements.id })
			.from(agreements)
			.where(and(eq(agreements.caseId, row.id), eq(agreements.status, 'effective')))
			.limit(1);
		if (!effective) throw new AppError('invalid', { kind: 'err_oc_agreement_not_effective' });
	}
	let outcomeId = 0;
	await transitionCase(db, actor, row.id, transitionFor(input), {
		ip,
		now,
		within: async (tx) => {
			const [outcome] = await tx
				.insert(caseOutcomes)
				.values({
					caseId: row.id,
					kind: input.kind,
					content: input.content,
					reachedAt: input.reachedAt ?? (input.kind === 'failure' ? null : now),
					routesTold: input.routesTold,
					outcomeClass: input.outcomeClass,
					petitionDecision: input.petitionDecision,
					next: input.next,
					recordedById: actor.id,
					recordedAt: now
				})
				.returning({ id: caseOutcomes.id });
			outcomeId = outcome.id;
			const data = {
				outcomeId,
				kind: input.kind,
				outcomeClass: input.outcomeClass,
				petitionDecision: input.petitionDecision,
				next: input.next,
				routesTold: input.routesTold
			};
			await recordCaseActivity(tx, row.id, actor.id, now, [
				{ kind: 'outcome_record', note: input.content, data: { ...data, routesTold: input.routesTold.join(',') } }
			]);
			await recordAudit(tx, { action: 'outcome.record', actorId: actor.id, subjectType: 'case', subjectId: row.id, ip, data });
		}
	});
	return { outcomeId };
}

/** The case step of an outcome: the conclusion with its reply, or the referral upward. */
function transitionFor(input: ParsedOutcome): Record<string, string> {
	const routes = input.routesTold.map((r) => ROUTE_NAMES[r]).join('、');
	const reason = routes ? `${CONCLUSION_REASON[input.kind]}（告知途径：${routes}）` : CONCLUSION_REASON[input.kind];
	if (input.next === 'escalated') return { type: 'escalate', reason };
	return { type: 'conclude', reason, summary: input.reply ?? '' };
}
