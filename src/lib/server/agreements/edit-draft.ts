import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db, Tx } from '../db';
import { agreements, type Agreement } from '../db/schema';
import { recordCaseActivity } from '../cases/activity';
import { loadAgreementCase, loadAgreementRow } from './agreement-case';
import { requireStatus } from './rules';

export type DraftPart = 'text' | 'term_add' | 'term_update' | 'term_remove';

export interface EditDraftOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Runs one edit of a draft agreement: the viewer must have edit rights, the agreement is locked and
 * must still be a draft (a frozen one is changed only after an unfreeze, which voids its signatures),
 * and the change, the staff timeline row and the audit row commit together.
 */
export async function editDraft<T extends { termId?: number }>(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	part: DraftPart,
	change: (tx: Tx, agreement: Agreement) => Promise<T>,
	options: EditDraftOptions = {}
): Promise<T> {
	const { ip, now = new Date() } = options;
	const { row } = await loadAgreementCase(db, actor, caseId, 'edit');
	return db.transaction(async (tx) => {
		const agreement = await loadAgreementRow(tx, row.id, true);
		requireStatus(agreement.status, 'draft', 'err_ag_not_draft');
		const result = await change(tx, agreement);
		await tx.update(agreements).set({ updatedAt: now }).where(eq(agreements.id, agreement.id));
		await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'agreement_edited', data: { agreementId: agreement.id, part } }]);
		await recordAudit(tx, {
			action: 'agreement.edit',
			actorId: actor.id,
			subjectType: 'agreement',
			subjectId: agreement.id,
			ip,
			data: { caseId: row.id, part, ...(result.termId === undefined ? {} : { termId: result.termId }) }
		});
		return result;
	});
}
