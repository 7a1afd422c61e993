import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { formatChainHead, readChainHead } from '../audit/chain-head';
import { agreementDocuments, caseParties, cases, type Agreement } from '../db/schema';
import { uniqueViolation } from '../db/unique-violation';
import { AppError } from '../errors';
import { buildAgreementPdf } from './agreement-pdf';
import { committeeSeal } from '../sealing/committee-certificate';
import { sealPdf } from '../sealing/seal-pdf';
import { TimestampError } from '../sealing/timestamp';
import { env } from '../env';
import { logger } from '../logger';
import { loadSigningRecord } from './signing-record';
import { loadCopyContent } from './copy-content';
import { copyAsciiFileName, copyFileName } from './copy-file-name';
import { newVerifyCode } from './verify-code';

export interface AgreementCopy {
	documentId: number;
	pdf: Uint8Array;
	/** 调解协议书-2026-000013-𠮷田春.pdf */
	fileName: string;
	/** agreement-2026-000013-party-7.pdf, for clients that take only an ASCII name. */
	asciiFileName: string;
}

/** The address printed on a copy and in its QR code. */
export function verifyUrl(origin: string, code: string): string {
	return `${origin.replace(/\/$/, '')}/verify?code=${code}`;
}

export interface AgreementCopyOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The PDF copy of an effective agreement for one holder (a party, or the committee for `null`):
 * the stored one for the agreement's current frozen hash, or a new one generated, sealed with the
 * committee's certificate (time-stamped by TSA_URL when set), stored and audited
 * (`document.pdf_generate`) in one transaction. A copy is never sealed again: it is stored once and
 * served byte for byte. Callers check who may have which copy first.
 */
export async function agreementCopy(
	db: Db,
	agreement: Agreement,
	partyId: number | null,
	by: { actorId: number | null; origin: string; ip?: string; /** Overrides TSA_URL (null: none). */ tsaUrl?: string | null }, options: AgreementCopyOptions = {}
): Promise<AgreementCopy> {
	const { now = new Date() } = options;
	if (agreement.status !== 'effective' || !agreement.frozenHash) throw new AppError('conflict', { _: 'err_doc_not_effective' });
	const [[c], holder] = await Promise.all([
		db.select({ number: cases.number }).from(cases).where(eq(cases.id, agreement.caseId)),
		partyId === null ? null : db.select({ name: caseParties.name }).from(caseParties).where(eq(caseParties.id, partyId)).then((r) => r[0] ?? null)
	]);
	const names = { fileName: copyFileName(c.number, holder?.name ?? null), asciiFileName: copyAsciiFileName(c.number, partyId) };
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
		return doc ? { documentId: doc.id, pdf: doc.pdf, ...names } : null;
	};
	const existing = await stored();
	if (existing) return existing;

	const code = newVerifyCode();
	// The head before this copy's own audit row: a state the log has passed through, which is what
	// `audit:verify --head` checks.
	const [content, head, record, seal] = await Promise.all([
		loadCopyContent(db, agreement, partyId),
		readChainHead(db),
		loadSigningRecord(db, agreement.id),
		agreement.committeePlaceId === null ? null : committeeSeal(db, agreement.committeePlaceId, { now })
	]);
	const tsaUrl = by.tsaUrl === undefined ? env.TSA_URL : by.tsaUrl ?? undefined;
	const doc = await buildAgreementPdf({
		...content,
		verifyCode: code,
		verifyUrl: verifyUrl(by.origin, code),
		chainHead: formatChainHead(head),
		record,
		effectiveAt: agreement.effectiveAt,
		sealing: seal ? { signer: seal.signerName, demo: seal.demo, timestamped: !!tsaUrl } : null
	});
	let pdf: Uint8Array;
	let timestampedAt: Date | null = null;
	if (seal) {
		try {
			({ pdf, timestampedAt } = await sealPdf(doc, seal.identity, {
				tsaUrl,
				name: seal.signerName,
				reason: `人民调解协议书 ${content.caseNumber}（${content.holder} 收执）`,
				location: content.committeeName,
				now
			}));
		} catch (err) {
			// The copy promises a trusted timestamp; without one it is not made (nor stored), and the next download tries again.
			if (err instanceof TimestampError) {
				logger.error({ err: err.message }, 'timestamp authority failed; copy not made');
				throw new AppError('unavailable', { _: 'err_doc_timestamp' });
			}
			throw err;
		}
	} else {
		pdf = await doc.save();
	}
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
					generatedAt: now,
					sealCertificateId: seal?.certificateId ?? null,
					timestampedAt
				})
				.returning({ id: agreementDocuments.id });
			await recordAudit(tx, {
				action: 'document.pdf_generate',
				actorId: by.actorId,
				subjectType: 'agreement',
				subjectId: agreement.id,
				ip: by.ip,
				data: {
					documentId: doc.id,
					partyId,
					agreementHash: agreement.frozenHash!,
					pdfSha256,
					sizeBytes: pdf.length,
					sealCertificateId: seal?.certificateId ?? null,
					timestampedAt: timestampedAt?.toISOString() ?? null
				}
			});
			return { documentId: doc.id, pdf, ...names };
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
