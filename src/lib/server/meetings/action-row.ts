import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db';
import { cases, coordinationMeetings, departments, meetingActions, users } from '../db/schema';
import { actionIsOverdue, type MeetingKindName } from './rules';

/** One decision as every page and the minutes show it. */
export interface ActionView {
	id: number;
	meetingId: number;
	meetingKind: MeetingKindName;
	meetingHeldAt: Date;
	caseId: number;
	caseNumber: string;
	caseTitle: string;
	decision: string;
	departmentName: string;
	ownerId: number;
	ownerName: string;
	dueOn: string;
	doneAt: Date | null;
	doneNote: string | null;
	overdue: boolean;
}

const owner = alias(users, 'action_owner');

/** Decisions with their matter, meeting, department and owner; add `.where(...)`. */
export function selectActions(db: Db | Tx) {
	return db
		.select({
			id: meetingActions.id,
			meetingId: meetingActions.meetingId,
			meetingKind: coordinationMeetings.kind,
			meetingHeldAt: coordinationMeetings.heldAt,
			caseId: meetingActions.caseId,
			caseNumber: cases.number,
			caseTitle: cases.title,
			decision: meetingActions.decision,
			departmentName: departments.name,
			ownerId: meetingActions.ownerId,
			ownerName: owner.name,
			dueOn: meetingActions.dueOn,
			doneAt: meetingActions.doneAt,
			doneNote: meetingActions.doneNote
		})
		.from(meetingActions)
		.innerJoin(coordinationMeetings, eq(coordinationMeetings.id, meetingActions.meetingId))
		.innerJoin(cases, eq(cases.id, meetingActions.caseId))
		.innerJoin(departments, eq(departments.id, meetingActions.departmentId))
		.innerJoin(owner, eq(owner.id, meetingActions.ownerId));
}

export function toActionView<R extends Omit<ActionView, 'overdue'>>(row: R, today: string): ActionView {
	return { ...row, overdue: actionIsOverdue(row, today) };
}
