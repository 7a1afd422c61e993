import type { PlaceKind, RoleName } from '../../types';
import { childKindOf, parentKindOf } from '../places/rules';
import { dueDates, EXTENSION_MAX_DAYS } from './clocks';
import type { HolidayCalendar } from './holidays';
import { isAtOrBelow, pathDepth, type GrantScope } from './permissions';
import { isIsoDate } from './shanghai-date';
import { normalizeText } from '../../utils/invisible-chars';
import type {
	CaseActor,
	CaseChanges,
	CaseCommand,
	CaseSnapshot,
	Decision,
	DecisionFailure,
	TimelineDetails,
	TransitionName
} from './states';

/**
 * What each transition changes, once `rules.ts` has authorised it and checked the state and windows:
 * validate the command's input, then build the changes and the timeline entry.
 */

/** Everything already established about the request. */
export interface TransitionContext {
	snapshot: CaseSnapshot;
	actor: CaseActor;
	actedAs: RoleName;
	scope: GrantScope;
	now: Date;
	/** `now` as a Shanghai date. */
	today: string;
	calendar: HolidayCalendar;
}

export const REASON_MAX = 500;
export const SUMMARY_MAX = 4000;

const invalid = (field: string): DecisionFailure => ({ ok: false, reason: 'invalid', field });

/** Control characters other than tab and line breaks. */
const CONTROL = /[^\P{Cc}\t\n\r]/u;

/**
 * Trimmed NFC text; null when absent or blank; a failure when it is not a string, is too long or holds
 * control characters. Commands come from forms, so nothing is trusted.
 */
function optionalText(value: unknown, field: string, max: number): string | null | DecisionFailure {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string') return invalid(field);
	const text = normalizeText(value).trim();
	if (text === '') return null;
	return text.length > max || CONTROL.test(text) ? invalid(field) : text;
}

function requiredText(value: unknown, field: string, max: number): string | DecisionFailure {
	return optionalText(value, field, max) ?? invalid(field);
}

const failed = (value: unknown): value is DecisionFailure =>
	typeof value === 'object' && value !== null && (value as DecisionFailure).ok === false;

const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

interface EntryParts {
	text?: string | null;
	summary?: string | null;
	/** Whether the text and summary are for the petitioner's eyes too. */
	publicText: boolean;
	details?: TimelineDetails;
}

function done(ctx: TransitionContext, transition: TransitionName, next: CaseChanges, parts: EntryParts): Decision {
	return {
		ok: true,
		next,
		timeline: {
			transition,
			at: ctx.now,
			actorId: ctx.actor.id,
			actedAs: ctx.actedAs,
			fromStatus: ctx.snapshot.status,
			toStatus: next.status,
			text: parts.text ?? null,
			summary: parts.summary ?? null,
			publicText: parts.publicText,
			details: parts.details ?? {}
		}
	};
}

/** A step with an optional staff note and no other change. */
function simple(ctx: TransitionContext, transition: TransitionName, command: { note?: string }, next: CaseChanges): Decision {
	const note = optionalText(command.note, 'note', REASON_MAX);
	return failed(note) ? note : done(ctx, transition, next, { text: note, publicText: false });
}

/** The kind of a place `levels` below one of kind `kind`, or null past the village. */
function kindBelow(kind: PlaceKind, levels: number): PlaceKind | null {
	let result: PlaceKind | null = kind;
	for (let i = 0; i < levels && result; i++) result = childKindOf(result);
	return result;
}

/**
 * Escalation and return hand the case to another level, which decides afresh: a registered case stays
 * registered, any other goes back to accepted with its routing cleared. Acceptance and routing dates
 * are kept, because the statutory clocks run from the first acceptance and routing, not per level.
 */
function moveTo(
	ctx: TransitionContext,
	transition: 'escalate' | 'return_down',
	to: { placePath: string; placeKind: PlaceKind },
	rawReason: unknown
): Decision {
	const reason = requiredText(rawReason, 'reason', REASON_MAX);
	if (failed(reason)) return reason;
	const c = ctx.snapshot;
	const { placePath, placeKind } = to;
	const next: CaseChanges = {
		status: c.status === 'registered' ? 'registered' : 'accepted',
		placePath,
		placeKind,
		departmentId: null,
		mediatorId: null,
		handleBy: null
	};
	return done(ctx, transition, next, {
		text: reason,
		publicText: false,
		details: { fromPlacePath: c.placePath, toPlacePath: placePath }
	});
}

function assign(ctx: TransitionContext, command: Extract<CaseCommand, { type: 'assign' }>): Decision {
	const c = ctx.snapshot;
	let placePath = c.placePath;
	let placeKind: PlaceKind = c.placeKind;
	if (command.placePath !== undefined) {
		// Routing goes to this place or down; going up is escalation, which has its own guard.
		if (!isAtOrBelow(command.placePath, c.placePath)) return invalid('placePath');
		const kind = kindBelow(c.placeKind, pathDepth(command.placePath) - pathDepth(c.placePath));
		if (!kind) return invalid('placePath');
		placePath = command.placePath;
		placeKind = kind;
	}
	const departmentId = command.departmentId === undefined ? c.departmentId : command.departmentId;
	if (departmentId !== null && !isId(departmentId)) return invalid('departmentId');
	const mediatorId = command.mediatorId === undefined ? c.mediatorId : command.mediatorId;
	if (mediatorId !== null && !isId(mediatorId)) return invalid('mediatorId');
	if (command.placePath === undefined && command.departmentId == null && command.mediatorId == null) {
		return invalid('target');
	}
	if (ctx.scope === 'department') {
		// A department may pick its own mediator but not pass the case to another place or department.
		if (placePath !== c.placePath) return { ok: false, reason: 'out_of_scope', field: 'placePath' };
		if (departmentId !== ctx.actor.departmentId) return { ok: false, reason: 'out_of_scope', field: 'departmentId' };
	}
	const concludeBy = dueDates(c, ctx.calendar).concludeBy;
	let handleBy = c.handleBy ?? concludeBy;
	if (command.handleBy !== undefined) {
		const ok = isIsoDate(command.handleBy) && command.handleBy >= ctx.today && (!concludeBy || command.handleBy <= concludeBy);
		if (!ok) return invalid('handleBy');
		handleBy = command.handleBy;
	}
	const note = optionalText(command.note, 'note', REASON_MAX);
	if (failed(note)) return note;
	const next: CaseChanges = {
		status: 'assigned',
		placePath,
		placeKind,
		departmentId,
		mediatorId,
		handleBy,
		routedAt: c.routedAt ?? ctx.now
	};
	return done(ctx, 'assign', next, {
		text: note,
		publicText: false,
		details: { fromPlacePath: c.placePath, toPlacePath: placePath, departmentId, mediatorId, handleBy }
	});
}

function extend(ctx: TransitionContext, command: Extract<CaseCommand, { type: 'extend' }>): Decision {
	const c = ctx.snapshot;
	const days = command.days;
	if (!Number.isInteger(days) || days < 1 || days > EXTENSION_MAX_DAYS) return invalid('days');
	const reason = requiredText(command.reason, 'reason', REASON_MAX);
	if (failed(reason)) return reason;
	const extension = { days, reason };
	const oldConcludeBy = dueDates(c, ctx.calendar).concludeBy;
	const concludeBy = dueDates({ ...c, extension }, ctx.calendar).concludeBy ?? undefined;
	// A working deadline that was simply the statutory one moves with it; a tighter one set by hand stays.
	const next: CaseChanges = { status: c.status, extension };
	if (c.handleBy !== null && c.handleBy === oldConcludeBy) next.handleBy = concludeBy;
	return done(ctx, 'extend', next, { text: reason, publicText: true, details: { extensionDays: days, concludeBy } });
}

type Applier<K extends TransitionName> = (ctx: TransitionContext, command: Extract<CaseCommand, { type: K }>) => Decision;

/** A step whose required reason is its only input. */
function withReason<K extends TransitionName>(
	transition: K,
	publicText: boolean,
	build: (ctx: TransitionContext) => CaseChanges
): Applier<K> {
	return (ctx, command) => {
		const reason = requiredText((command as { reason?: unknown }).reason, 'reason', REASON_MAX);
		if (failed(reason)) return reason;
		return done(ctx, transition, build(ctx), { text: reason, publicText });
	};
}

export const APPLY: { [K in TransitionName]: Applier<K> } = {
	accept: (ctx, command) => simple(ctx, 'accept', command, { status: 'accepted', acceptedAt: ctx.now }),
	// The refusal and its reason are the written notice of art. 23.
	reject: withReason('reject', true, (ctx) => ({ status: 'not_accepted', notAcceptedAt: ctx.now })),
	assign,
	start_mediation: (ctx, command) => simple(ctx, 'start_mediation', command, { status: 'in_mediation' }),
	conclude: (ctx, command) => {
		const reason = requiredText(command.reason, 'reason', REASON_MAX);
		if (failed(reason)) return reason;
		const summary = requiredText(command.summary, 'summary', SUMMARY_MAX);
		if (failed(summary)) return summary;
		return done(ctx, 'conclude', { status: 'concluded', concludedAt: ctx.now }, { text: reason, summary, publicText: true });
	},
	start_follow_up: (ctx, command) => simple(ctx, 'start_follow_up', command, { status: 'follow_up' }),
	archive: (ctx, command) => simple(ctx, 'archive', command, { status: 'archived' }),
	escalate: (ctx, command) => {
		const c = ctx.snapshot;
		// The state check has ruled out a root and anything above a county: the parent is a township,
		// a county or a city.
		const placePath = c.placePath.slice(0, c.placePath.lastIndexOf('/', c.placePath.length - 2) + 1);
		const placeKind = parentKindOf(c.placeKind);
		if (!placeKind) return invalid('placePath');
		return moveTo(ctx, 'escalate', { placePath, placeKind }, command.reason);
	},
	return_down: (ctx, command) => {
		const c = ctx.snapshot;
		const to = command.toPlacePath;
		const kind = childKindOf(c.placeKind);
		if (!isAtOrBelow(to, c.placePath) || pathDepth(to) !== pathDepth(c.placePath) + 1 || !kind) {
			return invalid('toPlacePath');
		}
		return moveTo(ctx, 'return_down', { placePath: to, placeKind: kind }, command.reason);
	},
	extend,
	request_review: withReason('request_review', true, (ctx) => ({
		status: ctx.snapshot.status,
		reviewStage: 'review_requested',
		reviewRequestedAt: ctx.now
	})),
	request_re_review: withReason('request_re_review', true, (ctx) => ({
		status: ctx.snapshot.status,
		reviewStage: 're_review_requested',
		reReviewRequestedAt: ctx.now
	})),
	answer_review: (ctx, command) => {
		const summary = requiredText(command.summary, 'summary', SUMMARY_MAX);
		if (failed(summary)) return summary;
		const c = ctx.snapshot;
		const next: CaseChanges =
			c.reviewStage === 'review_requested'
				? { status: c.status, reviewStage: 'review_answered', reviewAnsweredAt: ctx.now }
				: { status: c.status, reviewStage: 're_review_answered', reReviewAnsweredAt: ctx.now };
		return done(ctx, 'answer_review', next, { summary, publicText: true });
	}
};

/** Runs the applier of the command's transition. TypeScript cannot pair the union with the map itself. */
export function applyCommand(ctx: TransitionContext, command: CaseCommand): Decision {
	const applier = APPLY[command.type] as Applier<TransitionName>;
	return applier(ctx, command as never);
}
