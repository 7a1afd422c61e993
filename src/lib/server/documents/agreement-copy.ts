import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { agreementDocuments, type Agreement } from '../db/schema';
import { uniqueViolation } from '../db/unique-violation';
import { AppError } from '../errors';
import { renderAgreementPdf } from './agreement-pdf';
import { loadCopyContent } from './copy-content';
import { newVerifyCode } from './verify-code';

export interface AgreementCopy {
	documentId: number;
	pdf: Uint8Array;
	fileName: string;
}

/** The address printed on a copy and in its QR code. */
export function verifyUrl(origin: string, code: string): string {
	return `${origin.replace(/\/$/, '')}/verify?code=${code}`;
}

/**
 * The PDF copy of an effective agreement for one holder (a party, or the committee for `null`):
 * the stored one for the agreement's current frozen hash, or a new one generated, stored and audited
 * (`document.pdf_generate`) in one transaction. Callers check who may have which copy first.
 */
export async function agreementCopy(
	db: Db,
	agreement: Agreement,
	partyId: number | null,
	by: { actorId: number | null; origin: string; ip?: string },
	now = new Date()
): Promise<AgreementCopy> {
	if (agreement.status !== 'effective' || !agreement.frozenHash) throw new AppError('conflict', { _: 'err_doc_not_effective' });
	const fileName = `调解协议书-${agreement.id}${partyId === null ? '-委员会' : `-${partyId}`}.pdf`;
	const stored = async () => {
		const [doc] = await db
			.select({ id: agreementDocuments.id, pdf: agreementDocuments.pdf })
			.from(agreementDocuments)
			.where(
				and(
					eq(agreementDocuments.agreementId, agreement.id),
					partyId === null ? sql`${agreementDocuments.partyId} is null` : eq(agreementDocuments.partyId, partyId),
					eq(agreementDocuments.agreementHash, agreement.frozenHash!)
				)
			)
			.limit(1);
		return doc ? { documentId: doc.id, pdf: doc.pdf, fileName } : null;
	};
	const existing = await stored();
	if (existing) return existing;

	const code = newVerifyCode();
	const pdf = await renderAgreementPdf({ ...(await loadCopyContent(db, agreement, partyId)), verifyCode: code, verifyUrl: verifyUrl(by.origin, code) });
	const pdfSha256 = encodeHexLowerCase(sha256(pdf));
	try {
		return await db.transaction(async (tx) => {
			const [doc] = await tx
				.insert(agreementDocuments)
				.values({
					agreementId: agreement.id,
					partyId,
					agreementHash: agreement.frozenHash!,
					verifyCode: code,
					pdf,
					pdfSha256,
					sizeBytes: pdf.length,
					generatedById: by.actorId,
					generatedAt: now
				})
				.returning({ id: agreementDocuments.id });
			await recordAudit(tx, {
				action: 'document.pdf_generate',
				actorId: by.actorId,
				subjectType: 'agreement',
				subjectId: agreement.id,
				ip: by.ip,
				data: { documentId: doc.id, partyId, agreementHash: agreement.frozenHash!, pdfSha256, sizeBytes: pdf.length }
			});
			return { documentId: doc.id, pdf, fileName };
		});
	} catch (err) {
		// Two first downloads at once: the other one stored its copy; everyone gets that one.
		if (uniqueViolation(err) === 'agreement_documents_holder_uq') {
			const other = await stored();
			if (other) return other;
		}
		throw err;
	}
}
