import { and, asc, eq, exists, inArray, isNotNull, lt, not, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db, Tx } from '../db';
import { caseEvents, cases, meetingMatters, places } from '../db/schema';
import { AppError } from '../errors';
import { CLOSED_STATUSES, DEFAULT_STALLED_DAYS } from '../supervision/rules';
import { AGENDA_REASONS, PASSED_ON_MIN, PASSING_ON_KINDS, PROPOSAL_LIMIT, mayHoldMeetings, type AgendaReason } from './rules';

/** A matter the supervision page proposes for a meeting, with why. */
export interface AgendaProposal {
	id: number;
	number: string;
	title: string;
	placeName: string;
	nextDueOn: string | null;
	passedOn: number;
	reasons: AgendaReason[];
}

const DAY_MS = 86_400_000;

/**
 * The signals, as SQL over `cases`. Passing on is counted on the timeline (one row per 转办, 上交 or
 * 退回, see cases/transitions.ts), through its per-case index.
 */
function signals(now: Date, stalledDays: number): Record<AgendaReason, SQL> & { passedOnCount: SQL<number> } {
	const passedOnCount = sql<number>`(select count(*) from ${caseEvents} where ${and(eq(caseEvents.caseId, cases.id), inArray(caseEvents.kind, [...PASSING_ON_KINDS]))})`.mapWith(Number);
	return {
		overdue: lt(cases.nextDueOn, shanghaiDate(now)),
		idle: lt(cases.lastActivityAt, new Date(now.getTime() - stalledDays * DAY_MS)),
		passed_on: sql`${passedOnCount} >= ${PASSED_ON_MIN}`,
		reopened: inArray(cases.reviewStage, ['review_requested', 're_review_requested']),
		passedOnCount
	};
}

/** Still owed a step: open handling, or a statutory clock still running (a review on an archived matter). */
const stillOpen = () => or(notInArray(cases.status, [...CLOSED_STATUSES]), isNotNull(cases.nextDueOn))!;

export interface ProposeAgendaOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Days without a step after which a case counts as stalled. */
	stalledDays?: number;
}

/**
 * The proposed agenda: matters in the supervisor's scope that are still open, show at least one
 * signal, and have not yet been taken up at a meeting (from then on the meeting list tracks them
 * until their actions are done). Longest overdue first.
 */
export async function proposeAgenda(db: Db | Tx, actor: Viewer, options: ProposeAgendaOptions = {}): Promise<AgendaProposal[]> {
	const { now = new Date(), stalledDays = DEFAULT_STALLED_DAYS } = options;
	if (!mayHoldMeetings(actor)) throw new AppError('forbidden');
	const s = signals(now, stalledDays);
	const rows = await db
		.select({
			id: cases.id,
			number: cases.number,
			title: cases.title,
			placeName: places.name,
			nextDueOn: cases.nextDueOn,
			passedOn: s.passedOnCount,
			overdue: sql<boolean>`coalesce(${s.overdue}, false)`,
			idle: sql<boolean>`${s.idle}`,
			reopened: sql<boolean>`${s.reopened}`
		})
		.from(cases)
		.innerJoin(places, eq(places.id, cases.placeId))
		.where(
			and(
				caseVisibility(actor),
				stillOpen(),
				not(exists(db.select({ one: sql`1` }).from(meetingMatters).where(eq(meetingMatters.caseId, cases.id)))),
				or(s.overdue, s.idle, s.passed_on, s.reopened)
			)
		)
		.orderBy(asc(cases.nextDueOn), asc(cases.lastActivityAt), asc(cases.id))
		.limit(PROPOSAL_LIMIT);
	return rows.map((r) => ({
		id: r.id,
		number: r.number,
		title: r.title,
		placeName: r.placeName,
		nextDueOn: r.nextDueOn,
		passedOn: r.passedOn,
		reasons: AGENDA_REASONS.filter((reason) => (reason === 'passed_on' ? r.passedOn >= PASSED_ON_MIN : Boolean(r[reason])))
	}));
}

export interface ReasonsOfOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** The reasons a matter has now, to keep with it on the agenda (the same signals, for given cases). */
export async function reasonsOf(db: Db | Tx, caseIds: number[], options: ReasonsOfOptions = {}): Promise<Map<number, AgendaReason[]>> {
	const { now = new Date() } = options;
	const s = signals(now, DEFAULT_STALLED_DAYS);
	const rows = await db
		.select({ id: cases.id, passedOn: s.passedOnCount, overdue: sql<boolean>`coalesce(${s.overdue}, false)`, idle: sql<boolean>`${s.idle}`, reopened: sql<boolean>`${s.reopened}` })
		.from(cases)
		.where(inArray(cases.id, caseIds));
	return new Map(rows.map((r) => [r.id, AGENDA_REASONS.filter((reason) => (reason === 'passed_on' ? r.passedOn >= PASSED_ON_MIN : Boolean(r[reason])))]));
}
