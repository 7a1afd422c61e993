import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { hasRole } from '../auth/guards';
import type { Db } from '../db';
import { auditLog, caseParties, cases, users } from '../db/schema';
import { AppError } from '../errors';
import { normalizeIdNumber } from '../../utils/id-number';
import { normalizePhone } from '../../utils/phone';
import { adminArea } from './admin-area';

/** What the county holds about one person, as handed over on their request (个人信息保护法 art. 45). */
export interface PartyDataExport {
	generatedAt: string;
	matchedBy: 'phone' | 'idNumber';
	account: { name: string; phone: string | null; createdAt: string } | null;
	matters: {
		number: string;
		title: string;
		status: string;
		registeredAt: string;
		concludedAt: string | null;
		asParty: { side: string; name: string; phone: string | null; idNumber: string | null; address: string | null; maskedByRetention: boolean };
	}[];
	/** Who looked at their details in full, when and why (the audit rows of those views). */
	views: { at: string; by: string | null; matter: string | null; purpose: string | null }[];
}

export interface ExportPartyDataOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * Gathers a person's personal data for their request for a copy: the matters they are a party to
 * (found by the phone or ID number they prove to the office), their account and every full view of
 * their details. Administrators only, limited to the matters in their area, and the export itself is
 * audited (who was found, not what) in the transaction that reads it.
 */
export async function exportPartyData(db: Db, viewer: Viewer, input: { phone?: unknown; idNumber?: unknown }, options: ExportPartyDataOptions = {}): Promise<PartyDataExport> {
	const { ip } = options;
	if (!hasRole(viewer, 'admin')) throw new AppError('forbidden');
	const idNumber = typeof input.idNumber === 'string' && input.idNumber.trim() ? normalizeIdNumber(input.idNumber) : null;
	const phone = !idNumber && typeof input.phone === 'string' && input.phone.trim() ? normalizePhone(input.phone) : null;
	if (!idNumber && !phone) throw new AppError('invalid', { _: 'pi_err_export_who' });
	const matchedBy = idNumber ? 'idNumber' : 'phone';
	const match = idNumber ? eq(caseParties.idNumber, idNumber) : eq(caseParties.phone, phone!);

	return db.transaction(async (tx) => {
		const rows = await tx
			.select({ party: caseParties, number: cases.number, title: cases.title, status: cases.status, registeredAt: cases.registeredAt, concludedAt: cases.concludedAt })
			.from(caseParties)
			.innerJoin(cases, eq(cases.id, caseParties.caseId))
			.where(and(match, adminArea(viewer)))
			.orderBy(cases.registeredAt);
		const userIds = [...new Set(rows.map((r) => r.party.userId).filter((id): id is number => id !== null))];
		const [account] = userIds.length
			? await tx.select({ name: users.name, phone: users.phone, createdAt: users.createdAt }).from(users).where(inArray(users.id, userIds)).limit(1)
			: [];
		const partyIds = rows.map((r) => r.party.id);
		const numberByCase = new Map(rows.map((r) => [String(r.party.caseId), r.number]));
		const views = partyIds.length
			? await tx
					.select({ at: auditLog.at, by: users.name, subjectId: auditLog.subjectId, data: auditLog.data })
					.from(auditLog)
					.leftJoin(users, eq(users.id, auditLog.actorId))
					.where(and(eq(auditLog.action, 'case.personal_data_view'), or(...partyIds.map((id) => sql`(${auditLog.data} ->> 'partyId')::bigint = ${id}`))))
					.orderBy(auditLog.id)
			: [];
		await recordAudit(tx, {
			action: 'privacy.party_export',
			actorId: viewer.id,
			subjectType: 'person',
			ip,
			data: { matchedBy, parties: rows.length, cases: new Set(rows.map((r) => r.party.caseId)).size }
		});
		return {
			generatedAt: new Date().toISOString(),
			matchedBy,
			account: account ? { name: account.name, phone: account.phone, createdAt: account.createdAt.toISOString() } : null,
			matters: rows.map((r) => ({
				number: r.number,
				title: r.title,
				status: r.status,
				registeredAt: r.registeredAt.toISOString(),
				concludedAt: r.concludedAt?.toISOString() ?? null,
				asParty: {
					side: r.party.side,
					name: r.party.name,
					phone: r.party.phone,
					idNumber: r.party.idNumber,
					address: r.party.address,
					maskedByRetention: r.party.personalDataMaskedAt !== null
				}
			})),
			views: views.map((v) => ({
				at: v.at.toISOString(),
				by: v.by,
				matter: numberByCase.get(v.subjectId ?? '') ?? null,
				purpose: (v.data as { purpose?: string }).purpose ?? null
			}))
		};
	});
}
