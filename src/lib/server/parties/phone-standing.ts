import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { caseParties, cases, userRoles, users } from '../db/schema';

export interface PhoneStanding {
	/** The account that already holds this phone, if any. */
	user: { id: number; disabled: boolean; partyOnly: boolean } | null;
	/** Party rows with this phone that are not someone else's: unlinked, or linked to `user`. Newest case first. */
	parties: { id: number; caseId: number; name: string; userId: number | null; placeId: number }[];
	/** Whether a sign-in by code may go ahead for this phone. */
	eligible: boolean;
}

/**
 * Who a phone is. A code is sent, and a sign-in accepted, only when the phone is on a case and is not
 * held by a staff account or a disabled one: signing in by text must never open a staff account that
 * is otherwise protected by a password, nor bring back a disabled person.
 */
export async function phoneStanding(db: Db | Tx, phone: string): Promise<PhoneStanding> {
	const [row] = await db.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.phone, phone)).limit(1);
	let user: PhoneStanding['user'] = null;
	if (row) {
		const roles = await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, row.id));
		user = { id: row.id, disabled: row.disabledAt !== null, partyOnly: roles.length > 0 && roles.every((r) => r.role === 'party') };
	}
	const parties = await db
		.select({
			id: caseParties.id,
			caseId: caseParties.caseId,
			name: caseParties.name,
			userId: caseParties.userId,
			villageId: cases.villageId,
			townshipId: cases.townshipId,
			countyId: cases.countyId
		})
		.from(caseParties)
		.innerJoin(cases, eq(cases.id, caseParties.caseId))
		.where(and(eq(caseParties.phone, phone), user ? or(isNull(caseParties.userId), eq(caseParties.userId, user.id)) : isNull(caseParties.userId)))
		.orderBy(desc(cases.registeredAt), desc(caseParties.id))
		.limit(200);
	return {
		user,
		parties: parties.map((p) => ({ id: p.id, caseId: p.caseId, name: p.name, userId: p.userId, placeId: p.villageId ?? p.townshipId ?? p.countyId })),
		eligible: parties.length > 0 && (!user || (user.partyOnly && !user.disabled))
	};
}
