/**
 * File names of agreement copies, as a person recognises them in a download folder or a chat:
 * 调解协议书-2026-000013-𠮷田春.pdf (the committee's: …-委员会.pdf). Pure.
 */

// Characters no file system or chat app keeps in a name (Windows' reserved set and controls), and
// direction overrides that could make a name read differently from what it is.
const UNSAFE = /[\\/:*?"<>|\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu;

function clean(part: string): string {
	return part.normalize('NFC').replace(UNSAFE, '').replace(/\s+/g, '').slice(0, 40);
}

/** The Unicode name of a copy; `holderName` null for the committee's copy. */
export function copyFileName(caseNumber: string, holderName: string | null): string {
	const holder = holderName === null ? '委员会' : clean(holderName) || '当事人';
	return `调解协议书-${clean(caseNumber)}-${holder}.pdf`;
}

/** The plain-ASCII name for clients that ignore `filename*`: agreement-2026-000013-party-7.pdf. */
export function copyAsciiFileName(caseNumber: string, partyId: number | null): string {
	const number = caseNumber.replace(/[^0-9A-Za-z-]/g, '');
	return `agreement-${number}-${partyId === null ? 'committee' : `party-${partyId}`}.pdf`;
}

/**
 * `Content-Disposition` for a download: the ASCII `filename=` first, then the exact name as
 * `filename*=UTF-8''…` (RFC 6266 with RFC 5987 encoding), which every current browser prefers.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
	const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `attachment; filename="${asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}
