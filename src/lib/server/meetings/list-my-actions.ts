import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { meetingActions } from '../db/schema';
import { selectActions, toActionView, type ActionView } from './action-row';

export interface ListMyActionsOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The open meeting decisions naming the viewer as responsible, earliest time limit first (so overdue
 * ones lead): for their home page and their list. Actions on a matter they can no longer see are left
 * out, as they could not report them done either.
 */
export async function listMyActions(db: Db, actor: Viewer, options: ListMyActionsOptions = {}): Promise<ActionView[]> {
	const { now = new Date() } = options;
	const rows = await selectActions(db)
		.where(and(eq(meetingActions.ownerId, actor.id), isNull(meetingActions.doneAt), caseVisibility(actor)))
		.orderBy(asc(meetingActions.dueOn), asc(meetingActions.id))
		.limit(50);
	const today = shanghaiDate(now);
	return rows.map((r) => toActionView(r, today));
}
