import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { caseParties, cases, panelMembers, users } from '../db/schema';

/** Someone a comment may mention. */
export interface MentionCandidate {
	id: number;
	name: string;
}

/**
 * The people on a case, who may be mentioned in its comments: its mediator, its panel as it sits now
 * (not removed, not recused) and its parties who have an account. Each of them reads the case's
 * record and agreement, so a mention never shows a comment to someone who may not read it.
 */
export async function mentionCandidates(db: Db | Tx, caseId: number): Promise<MentionCandidate[]> {
	const [mediator, panel, parties] = await Promise.all([
		db.select({ id: cases.mediatorId }).from(cases).where(eq(cases.id, caseId)),
		db
			.select({ id: panelMembers.userId })
			.from(panelMembers)
			.where(and(eq(panelMembers.caseId, caseId), isNull(panelMembers.removedAt), ne(panelMembers.conflict, 'recused'))),
		db.select({ id: caseParties.userId }).from(caseParties).where(eq(caseParties.caseId, caseId))
	]);
	const ids = [...new Set([...mediator, ...panel, ...parties].map((r) => r.id).filter((id): id is number => id !== null))];
	if (ids.length === 0) return [];
	return db
		.select({ id: users.id, name: users.name })
		.from(users)
		.where(and(inArray(users.id, ids), isNull(users.disabledAt)))
		.orderBy(users.id);
}
