import { and, asc, eq } from 'drizzle-orm';
import { maskIdNumber } from '../../utils/id-number';
import type { Db, Tx } from '../db';
import { agreementParties, agreementTerms, caseParties, places, type Agreement } from '../db/schema';
import type { CanonicalAgreement, CanonicalParty, CanonicalTerm } from './canonical-text';

/** The committee a place acts as: "城南村人民调解委员会". */
export function committeeName(placeName: string): string {
	return `${placeName}人民调解委员会`;
}

/** The parties as the agreement states them, in the case's order, with their responsibility. */
export async function loadAgreementParties(db: Db | Tx, agreement: Pick<Agreement, 'id' | 'caseId'>): Promise<CanonicalParty[]> {
	const rows = await db
		.select({
			id: caseParties.id,
			side: caseParties.side,
			kind: caseParties.kind,
			name: caseParties.name,
			idNumber: caseParties.idNumber,
			address: caseParties.address,
			responsibility: agreementParties.responsibility
		})
		.from(caseParties)
		.leftJoin(agreementParties, and(eq(agreementParties.partyId, caseParties.id), eq(agreementParties.agreementId, agreement.id)))
		.where(eq(caseParties.caseId, agreement.caseId))
		.orderBy(asc(caseParties.side), asc(caseParties.sortOrder), asc(caseParties.id));
	return rows.map((p) => ({
		id: p.id,
		side: p.side,
		kind: p.kind,
		name: p.name,
		idNumberMasked: p.idNumber ? maskIdNumber(p.idNumber) : null,
		address: p.address,
		responsibility: p.responsibility ?? ''
	}));
}

export type StoredTerm = CanonicalTerm & { id: number; seq: number };

export async function loadAgreementTerms(db: Db | Tx, agreementId: number): Promise<StoredTerm[]> {
	return db
		.select({
			id: agreementTerms.id,
			seq: agreementTerms.seq,
			obligorPartyId: agreementTerms.obligorPartyId,
			what: agreementTerms.what,
			amountFen: agreementTerms.amountFen,
			how: agreementTerms.how,
			dueOn: agreementTerms.dueOn
		})
		.from(agreementTerms)
		.where(eq(agreementTerms.agreementId, agreementId))
		.orderBy(asc(agreementTerms.seq), asc(agreementTerms.id));
}

/** Everything the canonical text covers, read from the stored draft (for `revision` and the committee given). */
export async function loadCanonicalAgreement(
	db: Db | Tx,
	agreement: Agreement,
	c: { caseNumber: string; committeePlaceId: number; revision: number }
): Promise<CanonicalAgreement> {
	const [parties, terms, [place]] = await Promise.all([
		loadAgreementParties(db, agreement),
		loadAgreementTerms(db, agreement.id),
		db.select({ name: places.name }).from(places).where(eq(places.id, c.committeePlaceId))
	]);
	return {
		caseNumber: c.caseNumber,
		committeeName: committeeName(place.name),
		revision: c.revision,
		parties,
		facts: agreement.facts,
		issues: agreement.issues,
		terms: terms.map(({ obligorPartyId, what, amountFen, how, dueOn }) => ({ obligorPartyId, what, amountFen, how, dueOn })),
		otherTerms: agreement.otherTerms
	};
}
