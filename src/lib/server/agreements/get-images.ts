import { and, eq, isNotNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { agreementSignatures, agreements, committeeSeals } from '../db/schema';
import { AppError } from '../errors';
import { loadAgreementCase, loadAgreementRow } from './agreement-case';

/** A signature image of the case's agreement, for anyone who may see the agreement. */
export async function getSignatureImage(db: Db, viewer: Viewer, caseId: unknown, rawSignatureId: unknown): Promise<Uint8Array> {
	const { row } = await loadAgreementCase(db, viewer, caseId, 'see');
	const id = Number(rawSignatureId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	const [sig] = await db
		.select({ image: agreementSignatures.image })
		.from(agreementSignatures)
		.innerJoin(agreements, eq(agreements.id, agreementSignatures.agreementId))
		.where(and(eq(agreementSignatures.id, id), eq(agreements.caseId, row.id), isNotNull(agreementSignatures.image)));
	if (!sig?.image) throw new AppError('not_found');
	return sig.image;
}

/** The seal applied to the case's agreement: only once it has been applied (the agreement sealed). */
export async function getSealImage(db: Db, viewer: Viewer, caseId: unknown): Promise<Uint8Array> {
	const { row } = await loadAgreementCase(db, viewer, caseId, 'see');
	const agreement = await loadAgreementRow(db, row.id);
	if (!agreement.sealedAt || agreement.committeePlaceId === null) throw new AppError('not_found');
	const [seal] = await db.select({ image: committeeSeals.image }).from(committeeSeals).where(eq(committeeSeals.placeId, agreement.committeePlaceId));
	if (!seal) throw new AppError('not_found');
	return seal.image;
}
