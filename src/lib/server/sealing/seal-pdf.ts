import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import type { PDFDocument } from 'pdf-lib';
import { CmsSigner, type SealIdentity } from './cms-signer';

/**
 * Room reserved for the CMS signature: the certificate chain (a CA's is 2–3 certificates of 1–2 KB)
 * plus a timestamp token carrying the authority's own certificates. Unused room is zero padding.
 */
const SIGNATURE_BYTES = 24 * 1024;

export interface SealedPdf {
	pdf: Uint8Array;
	/** The trusted time the timestamp authority certified, when one was asked. */
	timestampedAt: Date | null;
}

/**
 * Seals a finished document (PAdES B-T, or B-B without a timestamp authority): an invisible signature
 * field whose /ByteRange covers the whole file except the signature itself, sub-filter
 * ETSI.CAdES.detached. The document must not change afterwards: any byte changed outside the
 * signature breaks it, which is what makes a copy's alteration detectable (电子签名法 art. 13).
 */
export async function sealPdf(
	doc: PDFDocument,
	identity: SealIdentity,
	options: { tsaUrl?: string; name: string; reason: string; location: string; now: Date }
): Promise<SealedPdf> {
	pdflibAddPlaceholder({
		pdfDoc: doc,
		reason: options.reason,
		contactInfo: '',
		name: options.name,
		location: options.location,
		signingTime: options.now,
		signatureLength: SIGNATURE_BYTES,
		subFilter: SUBFILTER_ETSI_CADES_DETACHED,
		appName: '评理 Pingli'
	});
	const unsigned = await doc.save({ useObjectStreams: false });
	const signer = new CmsSigner(identity, options.tsaUrl);
	const signed = await new SignPdf().sign(Buffer.from(unsigned), signer, options.now);
	return { pdf: new Uint8Array(signed), timestampedAt: signer.timestamp?.genTime ?? null };
}
