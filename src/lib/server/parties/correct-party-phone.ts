import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { maskPhone } from '../../utils/phone';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { caseParties, users } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { loadMediationCase } from '../cases/access';
import { phoneStanding } from './phone-standing';
import type { PartyRef } from './send-party-invitation';
import { parsePhone } from './rules';

/**
 * Staff who run the case (its mediator, mediators and supervisors of its place) correct a party's
 * phone. The number is what lets a person in, so the account linked through the old number loses the
 * party at once — in the same transaction as the audit row and the timeline entry. Every later page
 * load checks `case_parties.user_id`, and the live-record server re-checks open sockets every 2 s
 * against the same rows, so the old number's open record is closed too. An existing party account of
 * the new number is linked straight away; otherwise the new number links at its first sign-in.
 */
export async function correctPartyPhone(db: Db, viewer: Viewer, input: PartyRef & { phone: unknown }, options: { ip?: string; now?: Date } = {}) {
	const { caseId, partyId, phone: rawPhone } = input;
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, viewer, caseId, 'run');
	const id = Number(partyId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	const phone = parsePhone(rawPhone);
	if (!phone) throw new AppError('invalid', { phone: 'pt_err_phone' });
	return db.transaction(async (tx) => {
		const [party] = await tx
			.select({ id: caseParties.id, phone: caseParties.phone, userId: caseParties.userId, userPhone: users.phone })
			.from(caseParties)
			.leftJoin(users, eq(users.id, caseParties.userId))
			.where(and(eq(caseParties.id, id), eq(caseParties.caseId, row.id)))
			.for('update', { of: caseParties })
			.limit(1);
		if (!party) throw new AppError('not_found');
		if (party.phone === phone) throw new AppError('conflict', { phone: 'pt_err_same_phone' });
		// Only a link made through the old number goes: an account linked otherwise (staff set it up
		// for a person with their own login) is about the person, not the number.
		const unlinkedUserId = party.userId !== null && party.userPhone !== null && party.userPhone === party.phone ? party.userId : null;
		const keptUserId = unlinkedUserId !== null ? null : party.userId;
		let linkedUserId: number | null = null;
		if (keptUserId === null) {
			const standing = await phoneStanding(tx, phone);
			if (standing.user && standing.user.partyOnly && !standing.user.disabled) linkedUserId = standing.user.id;
		}
		const userId = keptUserId ?? linkedUserId;
		await tx.update(caseParties).set({ phone, userId }).where(eq(caseParties.id, party.id));
		await recordAudit(tx, {
			action: 'case.party_phone_correct',
			actorId: viewer.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { partyId: party.id, oldPhone: party.phone ? maskPhone(party.phone) : null, newPhone: maskPhone(phone), unlinkedUserId, linkedUserId }
		});
		await recordCaseActivity(tx, row.id, viewer.id, now, [{ kind: 'party_phone_correct', data: { partyId: party.id, phoneTail: phone.slice(-4) } }]);
		return { partyId: party.id, phoneTail: phone.slice(-4), unlinkedUserId, linkedUserId };
	});
}
