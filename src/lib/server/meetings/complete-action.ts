import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { caseVisibility } from '../cases/scope';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases, meetingActions } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { actionIsOverdue, completeActionInput } from './rules';

export interface CompleteActionOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The responsible person reports a decision carried out, saying what was done. Only they can: anyone
 * else's action (or one on a matter they can no longer see) is "not found". A done action stays done;
 * the matter leaves the meeting list when its last action is done. Being acted on is activity, so the
 * matter also leaves the "stalled" list until it goes quiet again.
 */
export async function completeAction(db: Db, actor: Viewer, raw: unknown, options: CompleteActionOptions = {}): Promise<void> {
	const { ip, now = new Date() } = options;
	const input = parseInput(completeActionInput, raw);
	await db.transaction(async (tx) => {
		const [action] = await tx
			.select({ id: meetingActions.id, caseId: meetingActions.caseId, meetingId: meetingActions.meetingId, dueOn: meetingActions.dueOn, doneAt: meetingActions.doneAt })
			.from(meetingActions)
			.innerJoin(cases, eq(cases.id, meetingActions.caseId))
			.where(and(eq(meetingActions.id, input.actionId), eq(meetingActions.ownerId, actor.id), caseVisibility(actor)))
			.for('update', { of: meetingActions });
		if (!action) throw new AppError('not_found');
		if (action.doneAt) throw new AppError('conflict', { _: 'mt_err_already_done' });
		await tx.update(meetingActions).set({ doneAt: now, doneNote: input.note }).where(and(eq(meetingActions.id, action.id), isNull(meetingActions.doneAt)));
		await tx.update(cases).set({ lastActivityAt: now }).where(eq(cases.id, action.caseId));
		await recordAudit(tx, {
			action: 'meeting.action_done',
			actorId: actor.id,
			subjectType: 'meeting',
			subjectId: action.meetingId,
			ip,
			data: { actionId: action.id, caseId: action.caseId, late: actionIsOverdue(action, shanghaiDate(now)) }
		});
	});
}
