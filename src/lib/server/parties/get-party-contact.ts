import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { maskPhone } from '../../utils/phone';
import type { Db } from '../db';
import { caseParties } from '../db/schema';
import { AppError } from '../errors';
import { loadMediationCase } from '../cases/access';

/** A party's phone (masked) and whether an account is linked, for staff who run the case. */
export async function getPartyContact(db: Db, viewer: Viewer, caseId: unknown, partyId: unknown) {
	const row = await loadMediationCase(db, viewer, caseId, 'run');
	const id = Number(partyId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	const [party] = await db
		.select({ id: caseParties.id, name: caseParties.name, side: caseParties.side, phone: caseParties.phone, userId: caseParties.userId })
		.from(caseParties)
		.where(and(eq(caseParties.id, id), eq(caseParties.caseId, row.id)))
		.limit(1);
	if (!party) throw new AppError('not_found');
	return {
		case: { id: row.id, number: row.number, title: row.title },
		party: { id: party.id, name: party.name, side: party.side, phoneMasked: party.phone ? maskPhone(party.phone) : null, linked: party.userId !== null }
	};
}
