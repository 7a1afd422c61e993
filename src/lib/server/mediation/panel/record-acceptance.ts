import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { caseParties, mediatorAcceptances } from '../../db/schema';
import { AppError } from '../../errors';
import { parseInput } from '../../validation';
import { recordCaseActivity } from '../../cases/activity';
import { loadMediationCase, requireOpenCase } from '../../cases/access';
import { acceptanceInput, type AcceptanceInput } from './rules';

export interface RecordAcceptanceOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Records one party's choice or acceptance of the mediator (人民调解法 art. 23), as the mediator
 * heard it. Statements are kept, not overwritten: a later one (a party changing their mind) is a new
 * row and the page shows the latest first. The mediator is the case's assigned one; a case without
 * one is being mediated by whoever records this, if they are a mediator.
 */
export async function recordAcceptance(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: AcceptanceInput | Record<string, unknown>, options: RecordAcceptanceOptions = {}
): Promise<{ acceptanceId: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, actor, caseId, 'run');
	const input = parseInput(acceptanceInput, raw);
	requireOpenCase(row.status);
	const mediatorId = row.mediatorId ?? (actor.roles.some((r) => r.role === 'mediator') ? actor.id : null);
	if (mediatorId === null) throw new AppError('conflict', { _: 'err_pn_no_mediator' });
	const [party] = await db
		.select({ id: caseParties.id })
		.from(caseParties)
		.where(and(eq(caseParties.id, input.partyId), eq(caseParties.caseId, row.id)))
		.limit(1);
	if (!party) throw new AppError('invalid', { partyId: 'err_pn_party_required' });

	return db.transaction(async (tx) => {
		const [acceptance] = await tx
			.insert(mediatorAcceptances)
			.values({ caseId: row.id, partyId: party.id, mediatorId, accepted: input.accepted, note: input.note, recordedById: actor.id, recordedAt: now })
			.returning({ id: mediatorAcceptances.id });
		await recordCaseActivity(tx, row.id, actor.id, now, [
			{
				kind: 'mediator_acceptance',
				note: input.note,
				data: { acceptanceId: acceptance.id, partyId: party.id, mediatorId, accepted: input.accepted }
			}
		]);
		await recordAudit(tx, {
			action: 'panel.mediator_acceptance',
			actorId: actor.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { acceptanceId: acceptance.id, partyId: party.id, mediatorId, accepted: input.accepted }
		});
		return { acceptanceId: acceptance.id };
	});
}
