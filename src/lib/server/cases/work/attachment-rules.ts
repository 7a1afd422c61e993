import { AppError } from '../../errors';
import { normalizeText } from '../../../utils/invisible-chars';

/** Per-file and per-request limits for evidence uploads (issue 3: "images/PDF with type and size limits"). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Files in one upload (the intake form, or one later addition). */
export const ATTACHMENT_MAX_FILES = 5;
/** Files on one case in all, so a case cannot be used as unbounded storage. */
export const ATTACHMENT_MAX_PER_CASE = 20;

/** The only types accepted; the browser's `accept` list and the server agree on these. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** A file as a route hands it over: the name the user gave it and its bytes. The client's MIME type is ignored. */
export interface IncomingFile {
	name: string;
	data: Uint8Array;
}

/** A file that passed the checks: type from its content, a name safe to show and to send back. */
export interface CheckedFile {
	fileName: string;
	mimeType: AttachmentType;
	data: Uint8Array;
}

const startsWith = (data: Uint8Array, bytes: readonly number[], offset = 0) =>
	data.length >= offset + bytes.length && bytes.every((b, i) => data[offset + i] === b);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/**
 * The type of a file from its first bytes (its "magic number"). The file name and the MIME type the
 * browser sent are chosen by the uploader, so neither is trusted: an HTML page renamed `photo.jpg`
 * is not an image and is refused here.
 */
export function sniffType(data: Uint8Array): AttachmentType | null {
	if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return 'image/webp';
	if (startsWith(data, ascii('%PDF-'))) return 'application/pdf';
	return null;
}

const EXTENSION: Record<AttachmentType, string> = {
	'image/jpeg': '.jpg',
	'image/png': '.png',
	'image/webp': '.webp',
	'application/pdf': '.pdf'
};

/**
 * A display name: the last path segment, NFC, without control characters, quotes or path separators,
 * at most 200 characters, ending in the extension of the type actually found (so a download opens in
 * the right program). Never used on disk: files are stored under a random key.
 */
export function safeFileName(name: string, type: AttachmentType): string {
	const base = (normalizeText(name).split(/[\\/]/).pop() ?? '')
		.replace(/[\u0000-\u001f\u007f"'<>|:*?]/g, '')
		.trim()
		.replace(/^\.+/, '');
	const ext = EXTENSION[type];
	const stem = base.replace(/\.[^.]*$/, '') || 'attachment';
	return stem.slice(0, 200 - ext.length) + ext;
}

/**
 * Checks a batch of uploads: count, size of each, type by content. The field key names the first bad
 * file by its position (`attachments.2`), so a form can say which one.
 */
export function checkAttachments(files: readonly IncomingFile[], alreadyAttached = 0): CheckedFile[] {
	if (files.length > ATTACHMENT_MAX_FILES || files.length + alreadyAttached > ATTACHMENT_MAX_PER_CASE) {
		throw new AppError('invalid', { attachments: 'err_attachment_count' });
	}
	return files.map((file, i) => {
		if (file.data.length > ATTACHMENT_MAX_BYTES) throw new AppError('invalid', { attachments: 'err_attachment_too_large', [`attachments.${i}`]: 'err_attachment_too_large' });
		if (file.data.length === 0) throw new AppError('invalid', { attachments: 'err_attachment_empty', [`attachments.${i}`]: 'err_attachment_empty' });
		const type = sniffType(file.data);
		if (!type) throw new AppError('invalid', { attachments: 'err_attachment_type', [`attachments.${i}`]: 'err_attachment_type' });
		return { fileName: safeFileName(file.name, type), mimeType: type, data: file.data };
	});
}
