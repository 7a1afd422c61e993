import { stat } from 'node:fs/promises';
import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { caseAttachments } from '../../db/schema';
import { AppError } from '../../errors';
import { attachmentPath } from './attachment-store';
import { loadVisibleCase } from './case-snapshot';

export interface AttachmentFile {
	fileName: string;
	mimeType: string;
	sizeBytes: number;
	sha256: string;
	/** Absolute path on disk, under DATA_DIR/attachments. */
	path: string;
}

export interface GetAttachmentOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * An attachment to download, with the download recorded in the audit log (who took which file of which
 * case, from where): evidence often carries personal data, so every copy that leaves is accounted for.
 * The case is looked up through the viewer's scope on every request (a link copied to someone else, or
 * kept after a transfer, opens nothing), and the attachment must belong to that case: guessing another
 * case's attachment id under a visible case gives the same `not_found`. A row whose file is gone
 * (restored database, lost disk) is `not_found` too, and no download is recorded for it.
 */
export async function getAttachment(db: Db, viewer: Viewer, caseId: unknown, attachmentId: unknown, options: GetAttachmentOptions = {}): Promise<AttachmentFile> {
	const { ip } = options;
	const row = await loadVisibleCase(db, viewer, caseId);
	const id = Number(attachmentId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	const [a] = await db
		.select({ fileName: caseAttachments.fileName, mimeType: caseAttachments.mimeType, sizeBytes: caseAttachments.sizeBytes, sha256: caseAttachments.sha256, storageKey: caseAttachments.storageKey })
		.from(caseAttachments)
		.where(and(eq(caseAttachments.id, id), eq(caseAttachments.caseId, row.id)))
		.limit(1);
	if (!a) throw new AppError('not_found');
	const path = attachmentPath(a.storageKey);
	if (!(await stat(path).catch(() => null))) throw new AppError('not_found');
	// In a transaction of its own: recordAudit's lock that keeps the chain single holds until commit.
	await db.transaction((tx) =>
		recordAudit(tx, {
			action: 'case.attachment_download',
			actorId: viewer.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { attachmentId: id, sha256: a.sha256 }
		})
	);
	return { fileName: a.fileName, mimeType: a.mimeType, sizeBytes: a.sizeBytes, sha256: a.sha256, path };
}

/**
 * `Content-Disposition: attachment` with the name in both forms: an ASCII fallback with anything
 * unsafe replaced, and the UTF-8 name (RFC 6266 / RFC 5987) for the Chinese names most files have.
 */
export function contentDisposition(fileName: string): string {
	const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
	return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
