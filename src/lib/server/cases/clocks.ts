import { CHINA_CALENDAR, type HolidayCalendar } from './holidays';
import { addDays, daysBetween, shanghaiDate } from './shanghai-date';
import type { CaseSnapshot } from './states';

/**
 * Statutory clocks of 信访工作条例 (2022). Due dates are computed from the case's own dates every time
 * they are shown, never entered by hand.
 *
 * Counting, as the regulation counts periods: calendar days; the day of the event is not counted, so an
 * N-day period from day D ends at the end of D + N; when that last day is a weekend or public holiday
 * (and not an adjusted working day), the period ends on the next working day. A due date is the last
 * day on which the act is still on time.
 */

/** Art. 22: register and route (转送/交办) within 15 days. */
export const ROUTE_DAYS = 15;
/** Art. 23: tell the petitioner in writing within 15 days whether the matter is accepted. */
export const NOTIFY_DAYS = 15;
/** Art. 34: handle within 60 days of acceptance … */
export const CONCLUDE_DAYS = 60;
/** … extendable once, by at most 30 days. */
export const EXTENSION_MAX_DAYS = 30;
/** Arts. 35/36: review and re-review are each asked for within 30 days … */
export const REVIEW_REQUEST_DAYS = 30;
/** … and answered within 30 days. */
export const REVIEW_ANSWER_DAYS = 30;

/** The case fields the clocks read: a list query may select only these. */
export type ClockInput = Pick<
	CaseSnapshot,
	| 'status'
	| 'registeredAt'
	| 'acceptedAt'
	| 'notAcceptedAt'
	| 'routedAt'
	| 'concludedAt'
	| 'reviewStage'
	| 'reviewRequestedAt'
	| 'reviewAnsweredAt'
	| 'reReviewRequestedAt'
	| 'extension'
>;

/** Last on-time day of each clock, a Shanghai date 'YYYY-MM-DD', or null while the clock has not started. */
export interface DueDates {
	/** Route by (art. 22); null for a case that was not accepted. */
	routeBy: string | null;
	/** Decide on acceptance and tell the petitioner by (art. 23). */
	notifyBy: string | null;
	/** Conclude by, with the extension if one was granted (art. 34); null until accepted. */
	concludeBy: string | null;
	/** The petitioner may ask for review until (art. 35); null until concluded. */
	reviewRequestBy: string | null;
	/** Answer the review by; null until it is asked for. */
	reviewAnswerBy: string | null;
	/** The petitioner may ask for re-review until (art. 36); null until the review is answered. */
	reReviewRequestBy: string | null;
	/** Answer the re-review by; null until it is asked for. */
	reReviewAnswerBy: string | null;
}

export type ClockName = keyof DueDates;
export type DueState = 'ok' | 'due_soon' | 'overdue';

/** The last day of a period of `days` days starting the day after `from`, moved past days off. */
export function periodEnd(from: Date | string, days: number, calendar: HolidayCalendar = CHINA_CALENDAR): string {
	let end = addDays(typeof from === 'string' ? from : shanghaiDate(from), days);
	// The longest run of days off in a year is the Spring Festival week plus a weekend; a calendar
	// that never works is a bug, not a reason to loop forever.
	for (let guard = 0; !calendar.isWorkingDay(end); guard++) {
		if (guard > 60) throw new Error(`no working day within 60 days after ${end}`);
		end = addDays(end, 1);
	}
	return end;
}

/**
 * The extension lengthens the one conclusion period, so the days are added before the holiday rule is
 * applied to its single last day (rather than extending an already-moved end date).
 */
export function dueDates(snapshot: ClockInput, calendar: HolidayCalendar = CHINA_CALENDAR): DueDates {
	const end = (from: Date | null, days: number) => (from ? periodEnd(from, days, calendar) : null);
	return {
		routeBy: snapshot.notAcceptedAt ? null : end(snapshot.registeredAt, ROUTE_DAYS),
		notifyBy: end(snapshot.registeredAt, NOTIFY_DAYS),
		concludeBy: end(snapshot.acceptedAt, CONCLUDE_DAYS + (snapshot.extension?.days ?? 0)),
		reviewRequestBy: end(snapshot.concludedAt, REVIEW_REQUEST_DAYS),
		reviewAnswerBy: end(snapshot.reviewRequestedAt, REVIEW_ANSWER_DAYS),
		reReviewRequestBy: end(snapshot.reviewAnsweredAt, REVIEW_REQUEST_DAYS),
		reReviewAnswerBy: end(snapshot.reReviewRequestedAt, REVIEW_ANSWER_DAYS)
	};
}

/** 'overdue' after the due day, 'due_soon' from `soonDays` calendar days before it up to the day itself. */
export function dueState(due: string, today: string, soonDays = 3): DueState {
	const left = daysBetween(today, due);
	if (left < 0) return 'overdue';
	return left <= soonDays ? 'due_soon' : 'ok';
}

/**
 * The clocks that bind the office now. The request windows bind the petitioner, not the office, so
 * they never make a case overdue; the rules use them to refuse late requests.
 */
export function openClocks(snapshot: ClockInput): ClockName[] {
	const open: ClockName[] = [];
	const s = snapshot.status;
	if (!snapshot.routedAt && (s === 'registered' || s === 'accepted')) open.push('routeBy');
	if (s === 'registered' && !snapshot.acceptedAt && !snapshot.notAcceptedAt) open.push('notifyBy');
	if (s === 'accepted' || s === 'assigned' || s === 'in_mediation') open.push('concludeBy');
	if (snapshot.reviewStage === 'review_requested') open.push('reviewAnswerBy');
	if (snapshot.reviewStage === 're_review_requested') open.push('reReviewAnswerBy');
	return open;
}

export interface UrgentClock {
	clock: ClockName;
	due: string;
	state: DueState;
}

/** The open clock with the earliest due date (the first in `openClocks` order on a tie), or null. */
export function caseDueState(
	snapshot: ClockInput,
	now: Date,
	soonDays = 3,
	calendar: HolidayCalendar = CHINA_CALENDAR
): UrgentClock | null {
	const dates = dueDates(snapshot, calendar);
	let urgent: { clock: ClockName; due: string } | null = null;
	for (const clock of openClocks(snapshot)) {
		const due = dates[clock];
		if (due && (!urgent || due < urgent.due)) urgent = { clock, due };
	}
	return urgent && { ...urgent, state: dueState(urgent.due, shanghaiDate(now), soonDays) };
}
