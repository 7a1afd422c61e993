import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { panelMembers } from '../../db/schema';
import { AppError } from '../../errors';
import { parseInput } from '../../validation';
import { recordCaseActivity } from '../../cases/activity';
import { loadMediationCase } from '../../cases/access';
import { removeInput, type RemoveInput } from './rules';

export interface RemoveMemberOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Takes someone off a case's panel, with the reason. Setting `removedAt` is all it takes: case
 * visibility and record access both ignore removed members, and the collaboration server's periodic
 * re-check closes their open record sockets within seconds.
 */
export async function removeMember(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: RemoveInput | Record<string, unknown>, options: RemoveMemberOptions = {}
): Promise<void> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, actor, caseId, 'run');
	const input = parseInput(removeInput, raw);
	const [member] = await db
		.select({ id: panelMembers.id, userId: panelMembers.userId, removedAt: panelMembers.removedAt })
		.from(panelMembers)
		.where(and(eq(panelMembers.id, input.memberId), eq(panelMembers.caseId, row.id)))
		.limit(1);
	if (!member) throw new AppError('not_found');
	if (member.removedAt) throw new AppError('conflict', { _: 'err_pn_already_removed' });

	await db.transaction(async (tx) => {
		const [updated] = await tx
			.update(panelMembers)
			.set({ removedAt: now, removedReason: input.reason })
			.where(and(eq(panelMembers.id, member.id), isNull(panelMembers.removedAt)))
			.returning({ id: panelMembers.id });
		if (!updated) throw new AppError('conflict', { _: 'err_pn_already_removed' });
		await recordCaseActivity(tx, row.id, actor.id, now, [
			{ kind: 'panel_remove', note: input.reason, data: { memberId: member.id, userId: member.userId } }
		]);
		await recordAudit(tx, {
			action: 'panel.remove',
			actorId: actor.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { memberId: member.id, userId: member.userId }
		});
	});
}
