import { and, asc, count, desc, eq, exists, inArray, isNull, like, lt, notExists, or, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases, coordinationMeetings, meetingActions, meetingMatters, places } from '../db/schema';
import { AppError } from '../errors';
import { scopePattern } from '../people/scope';
import { selectActions, toActionView, type ActionView } from './action-row';
import { mayHoldMeetings, matterCleared, type MeetingKindName } from './rules';

export interface MeetingSummary {
	id: number;
	kind: MeetingKindName;
	heldAt: Date;
	location: string;
	placeName: string;
	matters: number;
	openActions: number;
}

/** A matter taken up at a meeting and not yet cleared, with its decisions. */
export interface TrackedMatter {
	caseId: number;
	number: string;
	title: string;
	meetingId: number;
	actions: ActionView[];
}

const inScope = (actor: Viewer) => like(coordinationMeetings.placePath, scopePattern(actor));

/** The decisions of the agenda row in hand (open ones only with `open`), for EXISTS. */
const actionsOf = (db: Db, open = false) =>
	db
		.select({ one: sql`1` })
		.from(meetingActions)
		.where(and(eq(meetingActions.meetingId, meetingMatters.meetingId), eq(meetingActions.caseId, meetingMatters.caseId), open ? isNull(meetingActions.doneAt) : undefined));

export interface ListMeetingsOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The meetings page: recent meetings in the supervisor's area, the matters they took up that are not
 * cleared yet (见底清零: a matter leaves only when it has decisions and all are done), and the
 * decisions past their time limit.
 */
export async function listMeetings(db: Db, actor: Viewer, options: ListMeetingsOptions = {}) {
	const { now = new Date() } = options;
	if (!mayHoldMeetings(actor)) throw new AppError('forbidden');
	const today = shanghaiDate(now);
	const meetings = await db
		.select({ id: coordinationMeetings.id, kind: coordinationMeetings.kind, heldAt: coordinationMeetings.heldAt, location: coordinationMeetings.location, placeName: places.name })
		.from(coordinationMeetings)
		.innerJoin(places, eq(places.id, coordinationMeetings.placeId))
		.where(inScope(actor))
		.orderBy(desc(coordinationMeetings.heldAt), desc(coordinationMeetings.id))
		.limit(30);
	const ids = meetings.map((m) => m.id);
	const [matterCounts, openCounts, agenda] = await Promise.all([
		ids.length
			? db.select({ id: meetingMatters.meetingId, n: count() }).from(meetingMatters).where(inArray(meetingMatters.meetingId, ids)).groupBy(meetingMatters.meetingId)
			: [],
		ids.length
			? db
					.select({ id: meetingActions.meetingId, n: count() })
					.from(meetingActions)
					.where(and(inArray(meetingActions.meetingId, ids), isNull(meetingActions.doneAt)))
					.groupBy(meetingActions.meetingId)
			: [],
		// Every meeting of the area, however old: a matter stays tracked until it is cleared.
		db
			.select({ caseId: meetingMatters.caseId, meetingId: meetingMatters.meetingId, number: cases.number, title: cases.title })
			.from(meetingMatters)
			.innerJoin(coordinationMeetings, eq(coordinationMeetings.id, meetingMatters.meetingId))
			.innerJoin(cases, eq(cases.id, meetingMatters.caseId))
			.where(and(inScope(actor), or(notExists(actionsOf(db)), exists(actionsOf(db, true)))))
			.orderBy(asc(meetingMatters.meetingId), asc(cases.id))
			.limit(200)
	]);
	const agendaMeetings = [...new Set(agenda.map((m) => m.meetingId))];
	const actions = agendaMeetings.length
		? await selectActions(db).where(inArray(meetingActions.meetingId, agendaMeetings)).orderBy(asc(meetingActions.dueOn), asc(meetingActions.id))
		: [];
	const views = actions.map((a) => toActionView(a, today));
	const tracked: TrackedMatter[] = agenda
		.map((m) => ({ ...m, actions: views.filter((a) => a.meetingId === m.meetingId && a.caseId === m.caseId) }))
		.filter((m) => !matterCleared(m.actions));
	return {
		meetings: meetings.map(
			(m): MeetingSummary => ({
				...m,
				matters: matterCounts.find((c) => c.id === m.id)?.n ?? 0,
				openActions: openCounts.find((c) => c.id === m.id)?.n ?? 0
			})
		),
		tracked,
		overdue: views.filter((a) => a.overdue)
	};
}

export interface CountOverdueActionsOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** How many decisions of the area's meetings are past their time limit, for the supervision page. */
export async function countOverdueActions(db: Db, actor: Viewer, options: CountOverdueActionsOptions = {}): Promise<number> {
	const { now = new Date() } = options;
	if (!mayHoldMeetings(actor)) return 0;
	const [{ n }] = await db
		.select({ n: count() })
		.from(meetingActions)
		.innerJoin(coordinationMeetings, eq(coordinationMeetings.id, meetingActions.meetingId))
		.where(and(inScope(actor), isNull(meetingActions.doneAt), lt(meetingActions.dueOn, shanghaiDate(now))));
	return n;
}

export type { ActionView };
