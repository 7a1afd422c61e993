import { count, eq } from 'drizzle-orm';
import type { RoleName, Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db, Tx } from '../../db';
import { caseAttachments, caseEvents, cases } from '../../db/schema';
import { AppError } from '../../errors';
import { checkAttachments, type IncomingFile } from './attachment-rules';
import { storeThenCommit, type StoredFile } from './attachment-store';
import { loadVisibleCase } from './case-snapshot';

/** Who may add evidence to a case they can see: those who file and handle matters. */
export const ATTACHING_ROLES: RoleName[] = ['supervisor', 'mediator', 'legal_advisor', 'legal_villager', 'agent', 'grid_worker'];

/** Rows for stored files; used by filing and by later additions. */
export async function insertAttachmentRows(tx: Db | Tx, caseId: number, uploadedById: number | null, stored: readonly StoredFile[]) {
	if (stored.length === 0) return [];
	return tx
		.insert(caseAttachments)
		.values(
			stored.map((s) => ({
				caseId,
				uploadedById,
				fileName: s.fileName,
				mimeType: s.mimeType,
				sizeBytes: s.sizeBytes,
				sha256: s.sha256,
				storageKey: s.storageKey
			}))
		)
		.returning({ id: caseAttachments.id, sha256: caseAttachments.sha256 });
}

export interface AddAttachmentsOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Adds evidence that arrives after filing. Files are checked by content, written to disk, then
 * referenced in one transaction with a staff timeline entry and an audit row; if the transaction fails
 * the files are removed again. An archived case takes no more evidence.
 */
export async function addAttachments(db: Db, actor: Viewer, caseId: unknown, files: readonly IncomingFile[], options: AddAttachmentsOptions = {}): Promise<number[]> {
	const { ip, now = new Date() } = options;
	if (!actor.roles.some((r) => ATTACHING_ROLES.includes(r.role))) throw new AppError('forbidden');
	const row = await loadVisibleCase(db, actor, caseId);
	if (row.status === 'archived') throw new AppError('conflict', { _: 'err_wrong_state' });
	if (files.length === 0) throw new AppError('invalid', { attachments: 'err_attachment_none' });
	const [{ n }] = await db.select({ n: count() }).from(caseAttachments).where(eq(caseAttachments.caseId, row.id));
	const checked = checkAttachments(files, n);

	return storeThenCommit(checked, (stored) =>
		db.transaction(async (tx) => {
			// Re-count under the case's row lock so two uploads at once cannot pass the per-case cap together.
			await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, row.id)).for('update');
			const [{ n: current }] = await tx.select({ n: count() }).from(caseAttachments).where(eq(caseAttachments.caseId, row.id));
			checkAttachments(files, current);
			const rows = await insertAttachmentRows(tx, row.id, actor.id, stored);
			await tx.update(cases).set({ lastActivityAt: now }).where(eq(cases.id, row.id));
			await tx.insert(caseEvents).values({
				caseId: row.id,
				at: now,
				actorId: actor.id,
				kind: 'attachment_add',
				note: stored.map((s) => s.fileName).join('、'),
				data: { attachmentIds: rows.map((r) => r.id) },
				public: false
			});
			await recordAudit(tx, {
				action: 'case.attachment_add',
				actorId: actor.id,
				subjectType: 'case',
				subjectId: row.id,
				ip,
				data: { attachmentIds: rows.map((r) => r.id), sha256: rows.map((r) => r.sha256) }
			});
			return rows.map((r) => r.id);
		})
	);
}
