import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { caseParties } from '../../db/schema';
import { AppError } from '../../errors';
import { maySeeFullPersonalData } from '../scope';
import { loadVisibleCase } from './case-snapshot';

export interface RevealedParty {
	partyId: number;
	phone: string | null;
	idNumber: string | null;
}

/**
 * A party's phone and ID number in full (个人信息保护法: sensitive data, shown masked by default). Only
 * roles that need them may ask, only on cases they may see, and every full view is written to the audit
 * log — who, which party, which fields — in the same transaction that reads them, so nothing is shown
 * that was not recorded.
 */
export async function revealPersonalData(db: Db, viewer: Viewer, caseId: unknown, partyId: unknown, ip?: string): Promise<RevealedParty> {
	if (!maySeeFullPersonalData(viewer)) throw new AppError('forbidden');
	const row = await loadVisibleCase(db, viewer, caseId);
	const id = Number(partyId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	return db.transaction(async (tx) => {
		const [party] = await tx
			.select({ id: caseParties.id, phone: caseParties.phone, idNumber: caseParties.idNumber })
			.from(caseParties)
			.where(and(eq(caseParties.id, id), eq(caseParties.caseId, row.id)))
			.limit(1);
		if (!party) throw new AppError('not_found');
		const fields = [...(party.phone ? (['phone'] as const) : []), ...(party.idNumber ? (['idNumber'] as const) : [])];
		// Nothing to reveal is nothing viewed: no audit row for a party without phone or ID number.
		if (fields.length > 0) {
			await recordAudit(tx, {
				action: 'case.personal_data_view',
				actorId: viewer.id,
				subjectType: 'case',
				subjectId: row.id,
				ip,
				data: { partyId: party.id, fields }
			});
		}
		return { partyId: party.id, phone: party.phone, idNumber: party.idNumber };
	});
}
