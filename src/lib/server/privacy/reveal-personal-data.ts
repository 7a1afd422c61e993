import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { maySeeFullPersonalData } from '../cases/scope';
import { loadVisibleCase } from '../cases/work/case-snapshot';
import type { Db } from '../db';
import { caseParties } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { unmaskInput, type PersonalField } from './rules';

export interface RevealedParty {
	partyId: number;
	phone: string | null;
	idNumber: string | null;
	address: string | null;
}

export interface RevealPersonalDataOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * A party's phone, ID number and address in full (个人信息保护法: sensitive data, shown masked by
 * default). Only roles that need them may ask, only on cases they may see, only with a purpose chosen
 * from `privacy/rules.ts` (and a note for "other"), and every full view is written to the audit log —
 * who, which case and party, which fields, why — in the same transaction that reads them, so nothing
 * is shown that was not recorded.
 */
export async function revealPersonalData(db: Db, viewer: Viewer, caseId: unknown, input: unknown, options: RevealPersonalDataOptions = {}): Promise<RevealedParty> {
	const { ip } = options;
	if (!maySeeFullPersonalData(viewer)) throw new AppError('forbidden');
	const row = await loadVisibleCase(db, viewer, caseId);
	const { partyId, purpose, note } = parseInput(unmaskInput, input);
	return db.transaction(async (tx) => {
		const [party] = await tx
			.select({ id: caseParties.id, phone: caseParties.phone, idNumber: caseParties.idNumber, address: caseParties.address })
			.from(caseParties)
			.where(and(eq(caseParties.id, partyId), eq(caseParties.caseId, row.id)))
			.limit(1);
		if (!party) throw new AppError('not_found');
		const fields: PersonalField[] = [];
		if (party.phone) fields.push('phone');
		if (party.idNumber) fields.push('idNumber');
		if (party.address) fields.push('address');
		// Nothing to reveal is nothing viewed: no audit row for a party without any of them.
		if (fields.length > 0) {
			await recordAudit(tx, {
				action: 'case.personal_data_view',
				actorId: viewer.id,
				subjectType: 'case',
				subjectId: row.id,
				ip,
				data: { partyId: party.id, fields, purpose, ...(note ? { note } : {}) }
			});
		}
		return { partyId: party.id, phone: party.phone, idNumber: party.idNumber, address: party.address };
	});
}
