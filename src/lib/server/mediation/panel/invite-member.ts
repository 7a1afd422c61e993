import { isNotNull } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { panelMembers } from '../../db/schema';
import { AppError } from '../../errors';
import { notify } from '../../notices/notify';
import { PendingTexts } from '../../notices/pending-texts';
import { userRecipient } from '../../notices/recipients';
import { parseInput } from '../../validation';
import { recordCaseActivity } from '../../cases/activity';
import { loadMediationCase, requireOpenCase } from '../../cases/access';
import { panelPool } from './panel-pool';
import { inviteInput, type InviteInput } from './rules';

export interface InviteMemberOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Invites someone from the county's pool onto a case's panel (人民调解法 art. 20: with the parties'
 * consent, recorded as said). Only whoever runs the case's mediation may; the invitee then sees the
 * case and declares any conflict of interest before sitting. Someone removed earlier may be invited
 * again: their row starts over as a fresh, undeclared invitation (the timeline and audit keep the past).
 */
export async function inviteMember(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: InviteInput | Record<string, unknown>, options: InviteMemberOptions = {}
): Promise<{ memberId: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, actor, caseId, 'run');
	const input = parseInput(inviteInput, raw);
	requireOpenCase(row.status);
	const [candidate] = await panelPool(db, row, { userId: input.userId, memberType: input.memberType, limit: 1 });
	if (!candidate) throw new AppError('invalid', { userId: 'err_pn_invitee_invalid' });

	const texts = new PendingTexts();
	const result = await db.transaction(async (tx) => {
		const fresh = {
			memberType: input.memberType,
			invitedById: actor.id,
			invitedAt: now,
			partiesConsent: input.partiesConsent,
			conflict: 'pending' as const,
			conflictNote: null,
			declaredAt: null,
			removedAt: null,
			removedReason: null
		};
		// One statement decides "new", "re-invited after removal" or "already sitting" (no row back), so
		// two mediators inviting the same person at once cannot both succeed.
		const [member] = await tx
			.insert(panelMembers)
			.values({ caseId: row.id, userId: input.userId, ...fresh })
			.onConflictDoUpdate({ target: [panelMembers.caseId, panelMembers.userId], set: fresh, setWhere: isNotNull(panelMembers.removedAt) })
			.returning({ id: panelMembers.id });
		if (!member) throw new AppError('conflict', { userId: 'err_pn_already_member' });
		await recordCaseActivity(tx, row.id, actor.id, now, [
			{
				kind: 'panel_invite',
				note: input.partiesConsent,
				data: { memberId: member.id, userId: input.userId, name: candidate.name, memberType: input.memberType }
			}
		]);
		await recordAudit(tx, {
			action: 'panel.invite',
			actorId: actor.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { memberId: member.id, userId: input.userId, memberType: input.memberType, partiesConsent: input.partiesConsent }
		});
		await notify(tx, { caseId: row.id, kind: 'panel_invited', payload: { caseNumber: row.number } }, [await userRecipient(tx, input.userId)], now, texts);
		return { memberId: member.id };
	});
	await texts.send(db, now);
	return result;
}
