import type { SignatureMark, SignerRole } from '../../enums';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { agreementSignatures, agreements, committeeSeals, places, signingInvitations, users, type AgreementStatus } from '../db/schema';
import { loadAgreementCase, type AgreementAccess } from './agreement-case';
import { committeeName, loadAgreementParties, loadAgreementTerms, type StoredTerm } from './agreement-content';
import type { CanonicalParty } from './canonical-text';
import { anyRefusal, mediatorMaySign, partiesStillToSign } from './rules';

/** A signature or refusal as pages show it (the image is served separately, only to those who see the case). */
export interface SignatureView {
	id: number;
	role: SignerRole;
	partyId: number | null;
	signerName: string;
	channel: 'account' | 'invitation';
	refused: boolean;
	refusalReason: string | null;
	mark: SignatureMark | null;
	typedName: string | null;
	revision: number;
	hash: string;
	signedAt: Date;
	voidedAt: Date | null;
	voidReason: string | null;
}

/**
 * The agreement of a case as its pages (and the outcome, PDF and performance parts) read it. Terms
 * carry their stable ids and amounts in fen; `frozenText`/`frozenHash` are what signers see and sign.
 */
export interface AgreementView {
	id: number;
	caseId: number;
	caseNumber: string;
	status: AgreementStatus;
	revision: number;
	facts: string;
	issues: string;
	otherTerms: string;
	parties: CanonicalParty[];
	terms: StoredTerm[];
	frozenText: string | null;
	frozenHash: string | null;
	frozenAt: Date | null;
	committeeName: string | null;
	committeePlaceId: number | null;
	sealConfigured: boolean;
	sealedAt: Date | null;
	effectiveAt: Date | null;
	effectiveOn: string | null;
	/** Standing signatures first (in signing order), then voided ones, newest first. */
	signatures: SignatureView[];
	/** Parties who have neither signed nor refused the current frozen text. */
	waitingFor: number[];
	refused: boolean;
	mediatorMaySign: boolean;
	/** Parties with an open signing link. */
	invitedPartyIds: number[];
	updatedAt: Date;
}

/** Reads the agreement of a case (no access check: callers have one). Null when none was started. */
export async function readAgreement(db: Db | Tx, caseRow: { id: number; number: string; placeId: number }): Promise<AgreementView | null> {
	const [a] = await db.select().from(agreements).where(eq(agreements.caseId, caseRow.id)).limit(1);
	if (!a) return null;
	const committeePlaceId = a.committeePlaceId ?? caseRow.placeId;
	const [parties, terms, signatures, invitations, [place], [seal]] = await Promise.all([
		loadAgreementParties(db, a),
		loadAgreementTerms(db, a.id),
		db
			.select({
				id: agreementSignatures.id,
				role: agreementSignatures.role,
				partyId: agreementSignatures.partyId,
				userName: users.name,
				channel: agreementSignatures.channel,
				refused: agreementSignatures.refused,
				refusalReason: agreementSignatures.refusalReason,
				mark: agreementSignatures.mark,
				typedName: agreementSignatures.typedName,
				revision: agreementSignatures.revision,
				hash: agreementSignatures.hash,
				signedAt: agreementSignatures.signedAt,
				voidedAt: agreementSignatures.voidedAt,
				voidReason: agreementSignatures.voidReason
			})
			.from(agreementSignatures)
			.leftJoin(users, eq(users.id, agreementSignatures.userId))
			.where(eq(agreementSignatures.agreementId, a.id))
			.orderBy(desc(isNull(agreementSignatures.voidedAt)), asc(agreementSignatures.signedAt), asc(agreementSignatures.id)),
		db
			.select({ partyId: signingInvitations.partyId })
			.from(signingInvitations)
			.where(and(eq(signingInvitations.agreementId, a.id), isNull(signingInvitations.revokedAt))),
		db.select({ name: places.name }).from(places).where(eq(places.id, committeePlaceId)),
		db.select({ id: committeeSeals.id }).from(committeeSeals).where(eq(committeeSeals.placeId, committeePlaceId))
	]);
	const names = new Map(parties.map((p) => [p.id, p.name]));
	const views: SignatureView[] = signatures.map(({ userName, ...s }) => ({
		...s,
		signerName: s.role === 'party' ? (names.get(s.partyId!) ?? '') : (userName ?? '')
	}));
	const standing = views.filter((s) => s.voidedAt === null);
	const state = { partyIds: parties.map((p) => p.id), signatures: standing };
	return {
		id: a.id,
		caseId: a.caseId,
		caseNumber: caseRow.number,
		status: a.status,
		revision: a.revision,
		facts: a.facts,
		issues: a.issues,
		otherTerms: a.otherTerms,
		parties,
		terms,
		frozenText: a.frozenText,
		frozenHash: a.frozenHash,
		frozenAt: a.frozenAt,
		committeeName: place ? committeeName(place.name) : null,
		committeePlaceId,
		sealConfigured: Boolean(seal),
		sealedAt: a.sealedAt,
		effectiveAt: a.effectiveAt,
		effectiveOn: a.effectiveOn,
		signatures: [...standing, ...views.filter((s) => s.voidedAt !== null).reverse()],
		waitingFor: a.status === 'draft' ? state.partyIds : partiesStillToSign(state),
		refused: anyRefusal(state),
		mediatorMaySign: a.status === 'frozen' && mediatorMaySign(state),
		invitedPartyIds: [...new Set(invitations.map((i) => i.partyId))],
		updatedAt: a.updatedAt
	};
}

/** The agreement page's data: the case within the viewer's scope, their access, and the agreement. */
export async function getAgreement(
	db: Db,
	viewer: Viewer,
	caseId: unknown
): Promise<{ caseRow: { id: number; number: string; title: string; status: string }; access: AgreementAccess; agreement: AgreementView | null }> {
	const { row, access } = await loadAgreementCase(db, viewer, caseId, 'see');
	return { caseRow: { id: row.id, number: row.number, title: row.title, status: row.status }, access, agreement: await readAgreement(db, row) };
}
