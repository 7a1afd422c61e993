import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { opinionReveals, panelOpinions } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { loadMediationCase, requireOpenCase } from '../cases/access';
import { parseInput } from '../validation';
import { loadOpinionRound } from './opinion-round';
import { allSubmitted, mayGiveOpinion, opinionInput, type OpinionInput } from './rules';

export interface SubmitOpinionOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A panel member gives (or, before the reveal, revises) their reasoned opinion. The last expected
 * opinion reveals them all in the same transaction. The timeline and audit say that an opinion came
 * in, never what it says: before the reveal, even the position would be a hint to the others.
 */
export async function submitOpinion(
	db: Db,
	viewer: Viewer,
	caseId: unknown,
	raw: OpinionInput | Record<string, unknown>, options: SubmitOpinionOptions = {}
): Promise<{ opinionId: number; revealed: boolean }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, viewer, caseId, 'see');
	const input = parseInput(opinionInput, raw);
	requireOpenCase(row.status);

	return db.transaction(async (tx) => {
		const round = await loadOpinionRound(tx, row.id, true);
		const seat = round.seats.find((s) => s.userId === viewer.id && s.removedAt === null);
		if (!seat) throw new AppError('forbidden');
		if (!mayGiveOpinion(seat)) throw new AppError('conflict', { _: 'err_op_declare_first' });
		if (round.revealedAt) throw new AppError('conflict', { _: 'err_op_revealed' });
		const revised = round.submitted.has(viewer.id);
		const [opinion] = await tx
			.insert(panelOpinions)
			.values({ caseId: row.id, memberId: seat.memberId, userId: viewer.id, position: input.position, reasons: input.reasons, submittedAt: now, updatedAt: now })
			.onConflictDoUpdate({
				target: [panelOpinions.caseId, panelOpinions.userId],
				set: { memberId: seat.memberId, position: input.position, reasons: input.reasons, updatedAt: now }
			})
			.returning({ id: panelOpinions.id });
		round.submitted.add(viewer.id);
		const revealed = allSubmitted(round.seats, round.submitted);
		if (revealed) await tx.insert(opinionReveals).values({ caseId: row.id, revealedAt: now, revealedById: null });
		await recordCaseActivity(tx, row.id, viewer.id, now, [
			{ kind: 'opinion_submit', data: { memberId: seat.memberId, revised } },
			...(revealed ? [{ kind: 'opinion_reveal' as const, data: { how: 'all_submitted', opinions: round.submitted.size } }] : [])
		]);
		await recordAudit(tx, {
			action: 'opinion.submit',
			actorId: viewer.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { opinionId: opinion.id, memberId: seat.memberId, revised }
		});
		if (revealed) {
			await recordAudit(tx, { action: 'opinion.reveal', actorId: viewer.id, subjectType: 'case', subjectId: row.id, ip, data: { how: 'all_submitted', opinions: round.submitted.size } });
		}
		return { opinionId: opinion.id, revealed };
	});
}
