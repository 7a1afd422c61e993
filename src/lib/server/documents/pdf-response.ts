import type { AgreementCopy } from './agreement-copy';
import { attachmentDisposition } from './copy-file-name';

/** A copy as a download: saved, not rendered inline, never cached by a shared cache. */
export function pdfResponse(copy: AgreementCopy): Response {
	return new Response(copy.pdf as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Length': String(copy.pdf.length),
			'Content-Disposition': attachmentDisposition(copy.fileName, copy.asciiFileName),
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		}
	});
}
