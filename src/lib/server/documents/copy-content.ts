import type { SignerRole } from '../../enums';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { agreementSignatures, caseParties, cases, committeeSeals, places, users, type Agreement } from '../db/schema';
import { committeeName } from '../agreements/agreement-content';
import type { AgreementPdfInput, AgreementPdfSignature } from './agreement-pdf';

const SIDE = { applicant: '申请人', respondent: '被申请人' } as const;

/** A signer as the copy and the verification page show them. */
export interface Signer extends AgreementPdfSignature {
	kind: SignerRole;
	partyId: number | null;
}

/** The standing signatures of the agreement's current revision: parties first (in case order), then the mediator. */
export async function loadSigners(db: Db | Tx, agreement: Pick<Agreement, 'id' | 'revision'>): Promise<Signer[]> {
	const rows = await db
		.select({
			role: agreementSignatures.role,
			partyId: agreementSignatures.partyId,
			side: caseParties.side,
			typedName: agreementSignatures.typedName,
			mediatorName: users.name,
			signedAt: agreementSignatures.signedAt,
			image: agreementSignatures.image,
			ip: agreementSignatures.ip,
			userAgent: agreementSignatures.userAgent,
			channel: agreementSignatures.channel,
			phoneTail: agreementSignatures.phoneTail,
			nameConfirmation: agreementSignatures.nameConfirmation
		})
		.from(agreementSignatures)
		.leftJoin(caseParties, eq(caseParties.id, agreementSignatures.partyId))
		.leftJoin(users, eq(users.id, agreementSignatures.userId))
		.where(
			and(
				eq(agreementSignatures.agreementId, agreement.id),
				eq(agreementSignatures.revision, agreement.revision),
				isNull(agreementSignatures.voidedAt),
				eq(agreementSignatures.refused, false)
			)
		)
		.orderBy(asc(agreementSignatures.role), asc(caseParties.side), asc(caseParties.sortOrder), asc(agreementSignatures.signedAt));
	return rows.map((r) => ({
		kind: r.role,
		partyId: r.partyId,
		role: r.role === 'mediator' ? '人民调解员' : SIDE[r.side ?? 'applicant'],
		name: r.typedName ?? r.mediatorName ?? '',
		signedAt: r.signedAt,
		image: r.image,
		evidence: { ip: r.ip, userAgent: r.userAgent, channel: r.channel, phoneTail: r.phoneTail, nameConfirmation: r.nameConfirmation }
	}));
}

/**
 * Everything a copy of an effective agreement shows except its own code and address. `partyId` names
 * the holder (a party of the case), or null for the committee's file copy.
 */
export async function loadCopyContent(
	db: Db | Tx,
	agreement: Agreement,
	partyId: number | null
): Promise<Omit<AgreementPdfInput, 'verifyCode' | 'verifyUrl' | 'chainHead'>> {
	const [[c], [place], [seal], holder, signatures] = await Promise.all([
		db.select({ number: cases.number }).from(cases).where(eq(cases.id, agreement.caseId)),
		db.select({ name: places.name }).from(places).where(eq(places.id, agreement.committeePlaceId ?? -1)),
		db.select({ image: committeeSeals.image }).from(committeeSeals).where(eq(committeeSeals.placeId, agreement.committeePlaceId ?? -1)),
		partyId === null
			? Promise.resolve(null)
			: db.select({ side: caseParties.side, name: caseParties.name }).from(caseParties).where(eq(caseParties.id, partyId)).then((r) => r[0] ?? null),
		loadSigners(db, agreement)
	]);
	const committee = committeeName(place?.name ?? '');
	return {
		committeeName: committee,
		caseNumber: c.number,
		text: agreement.frozenText ?? '',
		hash: agreement.frozenHash ?? '',
		effectiveOn: agreement.effectiveOn ?? '',
		holder: holder ? `${SIDE[holder.side]} ${holder.name}` : committee,
		signatures,
		seal: seal?.image ?? null
	};
}
