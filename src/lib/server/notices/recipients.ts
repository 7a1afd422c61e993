import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { caseParties, panelMembers, users } from '../db/schema';

/** Someone to tell: in the app when they have an account, by SMS when a phone is on file. */
export interface Recipient {
	userId: number | null;
	phone: string | null;
}

/** The panel of a case as it sits now: invited or declared free of conflict, not removed, not recused. */
export async function panelRecipients(tx: Db | Tx, caseId: number): Promise<Recipient[]> {
	return tx
		.select({ userId: panelMembers.userId, phone: users.phone })
		.from(panelMembers)
		.innerJoin(users, eq(users.id, panelMembers.userId))
		.where(and(eq(panelMembers.caseId, caseId), isNull(panelMembers.removedAt), ne(panelMembers.conflict, 'recused'), isNull(users.disabledAt)));
}

/**
 * The parties of a case. A party with an account (linked through `case_parties.user_id`) is told in
 * the app, and by SMS at the phone the case holds for them; one without an account by SMS only.
 */
export async function partyRecipients(tx: Db | Tx, caseId: number, partyId?: number): Promise<Recipient[]> {
	return tx
		.select({ userId: caseParties.userId, phone: caseParties.phone })
		.from(caseParties)
		.where(partyId === undefined ? eq(caseParties.caseId, caseId) : and(eq(caseParties.caseId, caseId), eq(caseParties.id, partyId)));
}

/** One user by id, for a notice to a single person (a panel invitation). */
export async function userRecipient(tx: Db | Tx, userId: number): Promise<Recipient> {
	const [row] = await tx.select({ phone: users.phone }).from(users).where(eq(users.id, userId)).limit(1);
	return { userId, phone: row?.phone ?? null };
}
