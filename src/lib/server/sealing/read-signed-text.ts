import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, PDFHexString } from 'pdf-lib';

/** The file name of the signed text attached to every copy (`npm run verify:pdf` hashes it). */
export const SIGNED_TEXT_ATTACHMENT = 'agreement-text.txt';

/**
 * The signed text attached to a copy and the hash the copy states for it (its Subject, "SHA-256 …",
 * the same hash printed on the page; both inside the sealed bytes). pdf-lib has no reader for
 * attachments, so the EmbeddedFiles name tree is walked here; only our own flat one-level tree.
 */
export async function readSignedText(pdf: Uint8Array): Promise<{ text: Uint8Array | null; statedHash: string | null }> {
	const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: false });
	const statedHash = /^SHA-256 ([0-9a-f]{64})$/.exec(doc.getSubject() ?? '')?.[1] ?? null;
	const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)?.lookupMaybe(PDFName.of('Names'), PDFArray);
	if (!names) return { text: null, statedHash };
	for (let i = 0; i + 1 < names.size(); i += 2) {
		const name = names.lookup(i);
		const title = name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : '';
		if (title !== SIGNED_TEXT_ATTACHMENT) continue;
		const stream = names.lookup(i + 1, PDFDict).lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
		if (stream instanceof PDFRawStream) return { text: decodePDFRawStream(stream).decode(), statedHash };
	}
	return { text: null, statedHash };
}
