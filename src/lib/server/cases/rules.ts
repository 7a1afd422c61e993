import { dueDates, type ClockName } from './clocks';
import { pathDepth } from './permissions';
import { CHINA_CALENDAR, type HolidayCalendar } from './holidays';
import { authorize } from './permissions';
import { shanghaiDate } from './shanghai-date';
import {
	TRANSITIONS,
	type CaseActor,
	type CaseCommand,
	type CaseSnapshot,
	type CaseStatus,
	type Decision,
	type DecisionFailure,
	type TransitionName
} from './states';
import { applyCommand, type TransitionContext } from './transitions';

/**
 * The case loop as a pure state machine. A command is checked in a fixed order, and the first failure
 * is the answer: who (forbidden / out_of_scope) → from which state (wrong_state) → within which
 * statutory window (window_closed) → with what input (invalid). No database, no clock of its own:
 * the caller passes the case, the actor and `now`, and stores what comes back in one transaction.
 */

/** The states each transition may start from. */
export const FROM_STATES: Record<TransitionName, readonly CaseStatus[]> = {
	accept: ['registered'],
	reject: ['registered'],
	// Re-routing (another mediator, another department) is allowed until the case is concluded;
	// a party may refuse a mediator (人民调解法 art. 23).
	assign: ['accepted', 'assigned', 'in_mediation'],
	start_mediation: ['assigned'],
	// A department may reply without mediation, so conclusion comes from `assigned` too.
	conclude: ['assigned', 'in_mediation'],
	start_follow_up: ['concluded'],
	archive: ['not_accepted', 'concluded', 'follow_up'],
	escalate: ['registered', 'accepted', 'assigned', 'in_mediation'],
	return_down: ['registered', 'accepted', 'assigned', 'in_mediation'],
	extend: ['accepted', 'assigned', 'in_mediation'],
	// A review concerns the reply, which exists from conclusion on, archived or not.
	request_review: ['concluded', 'follow_up', 'archived'],
	request_re_review: ['concluded', 'follow_up', 'archived'],
	answer_review: ['concluded', 'follow_up', 'archived']
};

const wrongState = (field: string): DecisionFailure => ({ ok: false, reason: 'wrong_state', field });

const pendingReview = (c: CaseSnapshot) => c.reviewStage === 'review_requested' || c.reviewStage === 're_review_requested';

/** State conditions beyond the status itself. */
function stateRefusal(c: CaseSnapshot, transition: TransitionName): DecisionFailure | null {
	if (!FROM_STATES[transition].includes(c.status)) return wrongState('status');
	switch (transition) {
		case 'archive':
			return pendingReview(c) ? wrongState('reviewStage') : null;
		case 'escalate':
			// Up one level: a village to its township, a township to its county, a county to its city when
			// the installation has one (issue 21). Beyond the city is 赴省/进京, counted, not a step here.
			return c.placeKind === 'city' || c.placeKind === 'province' || pathDepth(c.placePath) < 2 ? wrongState('placeKind') : null;
		case 'return_down':
			return c.placeKind === 'village' ? wrongState('placeKind') : null;
		case 'extend':
			// Art. 34 allows one extension only.
			return c.extension ? wrongState('extension') : c.acceptedAt ? null : wrongState('acceptedAt');
		case 'request_review':
			return c.reviewStage !== 'none' ? wrongState('reviewStage') : c.concludedAt ? null : wrongState('concludedAt');
		case 'request_re_review':
			return c.reviewStage !== 'review_answered' ? wrongState('reviewStage') : null;
		case 'answer_review':
			return pendingReview(c) ? null : wrongState('reviewStage');
		default:
			return null;
	}
}

/** The statutory window each time-limited transition must fall in; the due day itself is on time. */
const WINDOWS: Partial<Record<TransitionName, ClockName>> = {
	extend: 'concludeBy',
	request_review: 'reviewRequestBy',
	request_re_review: 'reReviewRequestBy'
};

function windowRefusal(c: CaseSnapshot, transition: TransitionName, today: string, calendar: HolidayCalendar) {
	const clock = WINDOWS[transition];
	if (!clock) return null;
	const due = dueDates(c, calendar)[clock];
	return due !== null && today > due ? ({ ok: false, reason: 'window_closed', field: clock } as DecisionFailure) : null;
}

/** Everything but the command's input: who, which state, which window. */
function check(
	snapshot: CaseSnapshot,
	actor: CaseActor,
	transition: TransitionName,
	now: Date,
	calendar: HolidayCalendar
): TransitionContext | DecisionFailure {
	const who = authorize(snapshot, actor, transition);
	if (!who.ok) return { ok: false, reason: who.reason };
	const today = shanghaiDate(now);
	const refusal = stateRefusal(snapshot, transition) ?? windowRefusal(snapshot, transition, today, calendar);
	if (refusal) return refusal;
	return { snapshot, actor, actedAs: who.actedAs, scope: who.scope, now, today, calendar };
}

const isFailure = (value: TransitionContext | DecisionFailure): value is DecisionFailure => 'ok' in value;

/**
 * Decides one command: the changes to store and the timeline entry to write, or why not.
 * `calendar` is the holiday calendar for the statutory windows (China's by default).
 */
export function decide(
	snapshot: CaseSnapshot,
	actor: CaseActor,
	command: CaseCommand,
	now: Date,
	calendar: HolidayCalendar = CHINA_CALENDAR
): Decision {
	if (!TRANSITIONS.includes(command?.type)) return { ok: false, reason: 'invalid', field: 'type' };
	const ctx = check(snapshot, actor, command.type, now, calendar);
	return isFailure(ctx) ? ctx : applyCommand(ctx, command);
}

/**
 * The transitions this actor may start on this case now, in `TRANSITIONS` order, for showing actions.
 * Input is not judged: a listed transition can still fail as `invalid` (a missing reason, a bad date).
 */
export function allowedTransitions(
	snapshot: CaseSnapshot,
	actor: CaseActor,
	now: Date,
	calendar: HolidayCalendar = CHINA_CALENDAR
): TransitionName[] {
	return TRANSITIONS.filter((t) => !isFailure(check(snapshot, actor, t, now, calendar)));
}

export { TRANSITIONS, CASE_STATUSES, caseActorOf } from './states';
export type {
	CaseActor,
	CaseChanges,
	CaseCommand,
	CaseSnapshot,
	CaseStatus,
	Decision,
	DecisionFailure,
	DecisionFailureReason,
	TimelineEntry,
	TransitionName
} from './states';
