import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { CollabServer } from '../collab/api';
import type { Db } from '../db';
import { agreementSignatures, agreements, signingInvitations } from '../db/schema';
import { recordCaseActivity } from '../cases/activity';
import { parseInput } from '../validation';
import { loadAgreementCase, loadAgreementRow } from './agreement-case';
import { keepFrozenText } from './frozen-history';
import { requireStatus, unfreezeInput } from './rules';

export interface UnfreezeAgreementOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** The running collaboration server (`event.locals.collab`); null: none (scripts, tests of the rules). */
	collab?: CollabServer | null;
}

/**
 * Returns a frozen agreement to draft so it can be changed. Every signature and refusal given on the
 * frozen text is voided — kept and marked void with the reason, never deleted — and the signing grants
 * of open invitations end, so nobody signs a text that is about to change (电子签名法 art. 13). An
 * effective agreement is not unfrozen: it is what the parties signed. Its editors get write access
 * to the live text back at once.
 */
export async function unfreezeAgreement(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: { reason?: unknown },
	options: UnfreezeAgreementOptions = {}
): Promise<{ voided: number }> {
	const { ip, now = new Date(), collab = null } = options;
	const { row } = await loadAgreementCase(db, actor, caseId, 'run');
	const { reason } = parseInput(unfreezeInput, raw);
	const result = await db.transaction(async (tx) => {
		const agreement = await loadAgreementRow(tx, row.id, true);
		requireStatus(agreement.status, 'frozen', 'err_ag_not_frozen');
		// Kept for the parties asked to sign again: they see what changed since this text.
		await keepFrozenText(tx, agreement, { actorId: actor.id, reason, at: now });
		const voided = await tx
			.update(agreementSignatures)
			.set({ voidedAt: now, voidReason: reason })
			.where(and(eq(agreementSignatures.agreementId, agreement.id), isNull(agreementSignatures.voidedAt)))
			.returning({ id: agreementSignatures.id });
		await tx
			.update(signingInvitations)
			.set({ grantHash: null, grantExpiresAt: null })
			.where(eq(signingInvitations.agreementId, agreement.id));
		await tx
			.update(agreements)
			.set({ status: 'draft', frozenText: null, frozenHash: null, frozenAt: null, frozenById: null, sealedAt: null, updatedAt: now })
			.where(eq(agreements.id, agreement.id));
		await recordCaseActivity(tx, row.id, actor.id, now, [
			{ kind: 'agreement_unfrozen', note: reason, data: { agreementId: agreement.id, revision: agreement.revision, voided: voided.length } }
		]);
		await recordAudit(tx, {
			action: 'agreement.unfreeze',
			actorId: actor.id,
			subjectType: 'agreement',
			subjectId: agreement.id,
			ip,
			data: { caseId: row.id, revision: agreement.revision, hash: agreement.frozenHash!, voidedSignatures: voided.map((v) => v.id) }
		});
		return { voided: voided.length };
	});
	await collab?.recheckAccess();
	return result;
}
