import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { opinionReveals } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { loadMediationCase } from '../cases/access';
import { loadOpinionRound } from './opinion-round';

export interface RevealOpinionsOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Whoever runs the mediation reveals the opinions before every member has submitted (someone is
 * absent, the hearing cannot wait). A reveal is for everyone at once and closes the round.
 */
export async function revealOpinions(db: Db, actor: Viewer, caseId: unknown, options: RevealOpinionsOptions = {}): Promise<{ opinions: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, actor, caseId, 'run');
	return db.transaction(async (tx) => {
		const round = await loadOpinionRound(tx, row.id, true);
		if (round.revealedAt) throw new AppError('conflict', { _: 'err_op_revealed' });
		if (round.submitted.size === 0) throw new AppError('conflict', { _: 'err_op_none_to_reveal' });
		await tx.insert(opinionReveals).values({ caseId: row.id, revealedAt: now, revealedById: actor.id });
		const data = { how: 'mediator' as const, opinions: round.submitted.size };
		await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'opinion_reveal', data }]);
		await recordAudit(tx, { action: 'opinion.reveal', actorId: actor.id, subjectType: 'case', subjectId: row.id, ip, data });
		return { opinions: round.submitted.size };
	});
}
