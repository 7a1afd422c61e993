import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { opinionReveals, panelMembers, panelOpinions } from '../db/schema';
import type { Seat } from './rules';

/** The state of a case's opinion round: the seats, who has submitted, and whether it is revealed. */
export interface OpinionRound {
	seats: Seat[];
	submitted: Set<number>;
	revealedAt: Date | null;
	revealedById: number | null;
}

/**
 * Reads the round. With `lock`, inside a transaction, the case's panel rows are locked first, so two
 * last opinions submitted at once cannot both miss each other and leave the round unrevealed.
 */
export async function loadOpinionRound(db: Db | Tx, caseId: number, lock = false): Promise<OpinionRound> {
	const seatQuery = db
		.select({ memberId: panelMembers.id, userId: panelMembers.userId, conflict: panelMembers.conflict, removedAt: panelMembers.removedAt })
		.from(panelMembers)
		.where(eq(panelMembers.caseId, caseId))
		.orderBy(panelMembers.invitedAt, panelMembers.id);
	const seats = lock ? await seatQuery.for('update') : await seatQuery;
	const [submittedRows, [reveal]] = await Promise.all([
		db.select({ userId: panelOpinions.userId }).from(panelOpinions).where(eq(panelOpinions.caseId, caseId)),
		db
			.select({ at: opinionReveals.revealedAt, by: opinionReveals.revealedById })
			.from(opinionReveals)
			.where(and(eq(opinionReveals.caseId, caseId)))
			.limit(1)
	]);
	return {
		seats,
		submitted: new Set(submittedRows.map((r) => r.userId)),
		revealedAt: reveal?.at ?? null,
		revealedById: reveal?.by ?? null
	};
}
