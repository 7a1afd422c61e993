import { CASE_STATUSES, REVIEW_STAGES, TRANSITIONS, type CaseStatus, type ReviewStage, type TransitionName } from '../../enums';
import type { PlaceKind, RoleName, Viewer } from '../../types';

/**
 * Data shapes of the case loop 接 → 转 → 办 → 评 (accept → route → handle → follow up). Pure types and
 * constants: the database layer maps its rows to a `CaseSnapshot` and applies `CaseChanges`.
 */

export { CASE_STATUSES, REVIEW_STAGES, TRANSITIONS, type CaseStatus, type ReviewStage, type TransitionName };

/** The one extension of the conclusion period that art. 34 allows. */
export interface CaseExtension {
	/** 1–30 days added to the 60-day period. */
	days: number;
	/** Told to the petitioner (art. 34), so it is shown on the public page. */
	reason: string;
}

/** What the rules and clocks need to know about a case. Timestamps are instants; dates are Shanghai dates. */
export interface CaseSnapshot {
	status: CaseStatus;
	/** Path of the place currently handling the case, e.g. '/1/4/17/' (county 1 → township 4 → village 17). */
	placePath: string;
	/** Kind of that place; must agree with the depth of `placePath` below its tree's root (a county, a city or a province). */
	placeKind: PlaceKind;
	/** County department the case is routed to, if any. Its members act on the case whatever its place. */
	departmentId: number | null;
	/** User assigned as mediator, if any. */
	mediatorId: number | null;
	/** Mediation studio the case is assigned to, if any: its member mediators act as its mediators. */
	studioId?: number | null;
	/** Staff member, agent or grid worker who filed the case; null for a resident's own online filing. */
	filedById: number | null;
	/** User accounts of the parties (applicants and respondents that have one). */
	partyUserIds: readonly number[];
	/** Working deadline set when the case was routed, a Shanghai date; never later than the statutory one. */
	handleBy: string | null;
	/** When the case was registered: starts the route and notify clocks (art. 22–23). */
	registeredAt: Date;
	/** When it was accepted: starts the 60-day conclusion clock (art. 34). Kept through escalation. */
	acceptedAt: Date | null;
	/** When it was refused (not accepted); the refusal is the written notice of art. 23. */
	notAcceptedAt: Date | null;
	/** When it was first routed (assign); stops the route clock of art. 22. Kept through escalation. */
	routedAt: Date | null;
	/** When it was concluded and the written reply given; starts the 30-day review window (art. 35). */
	concludedAt: Date | null;
	reviewStage: ReviewStage;
	/** When review (复查) was asked for; starts its 30-day answer clock. */
	reviewRequestedAt: Date | null;
	/** When the review was answered; starts the 30-day re-review window (art. 36). */
	reviewAnsweredAt: Date | null;
	/** When re-review (复核) was asked for; starts its 30-day answer clock. */
	reReviewRequestedAt: Date | null;
	/** When the re-review was answered: the end of the matter. */
	reReviewAnsweredAt: Date | null;
	/** The extension granted, or null: at most one per case. */
	extension: CaseExtension | null;
}

/** The fields a transition changes; fields left out keep their value. `status` is always given. */
export type CaseChanges = { status: CaseStatus } & Partial<
	Omit<CaseSnapshot, 'status' | 'registeredAt' | 'filedById' | 'partyUserIds'>
>;

/** Who acts. Built from the Viewer with `caseActorOf`. */
export interface CaseActor {
	id: number;
	roles: readonly RoleName[];
	/** Path of the actor's own place, e.g. '/1/4/'. Their place scope is this place and all below it. */
	placePath: string;
	/**
	 * County department the actor belongs to. A department member's scope is the cases routed to that
	 * department, not the places under the county (issue 3: "departments see cases routed to them").
	 */
	departmentId: number | null;
	/** Mediation studios the actor is a member of (issue 13 part 1); absent means none. */
	studioIds?: readonly number[];
}

export function caseActorOf(viewer: Viewer): CaseActor {
	return {
		id: viewer.id,
		roles: viewer.roles.map((r) => r.role),
		placePath: viewer.place.path,
		departmentId: viewer.department?.id ?? null,
		studioIds: viewer.studioIds ?? []
	};
}

/** A command asks for one transition. Free text is trimmed and NFC-normalised by the rules. */
export type CaseCommand =
	| { type: 'accept'; note?: string }
	| { type: 'reject'; reason: string }
	| {
			type: 'assign';
			/** Route to this place: the case's own place or one below it. Omitted: the place stays. */
			placePath?: string;
			/** Omitted: unchanged; null: cleared. */
			departmentId?: number | null;
			/** Omitted: unchanged; null: cleared. */
			mediatorId?: number | null;
			/** Working deadline, a Shanghai date from today to the statutory conclusion date. Omitted: kept,
			 * or the statutory conclusion date when none was set. */
			handleBy?: string;
			note?: string;
	  }
	| { type: 'start_mediation'; note?: string }
	| { type: 'conclude'; reason: string; summary: string }
	| { type: 'start_follow_up'; note?: string }
	| { type: 'archive'; note?: string }
	| { type: 'escalate'; reason: string }
	| { type: 'return_down'; toPlacePath: string; reason: string }
	| { type: 'extend'; days: number; reason: string }
	| { type: 'request_review'; reason: string }
	| { type: 'request_re_review'; reason: string }
	| { type: 'answer_review'; summary: string };

export type DecisionFailureReason = 'forbidden' | 'wrong_state' | 'invalid' | 'out_of_scope' | 'window_closed';

/**
 * Why a command was refused. `forbidden`: none of the actor's roles may ever do this; `out_of_scope`:
 * a role may, but not on this case; `wrong_state`: not from the case's current state; `window_closed`:
 * the statutory window has passed; `invalid`: bad input. `field` names the input or case field at fault.
 */
export interface DecisionFailure {
	ok: false;
	reason: DecisionFailureReason;
	field?: string;
}

/** Facts of a transition worth keeping beside its timeline entry. Staff-only. */
export interface TimelineDetails {
	fromPlacePath?: string;
	toPlacePath?: string;
	departmentId?: number | null;
	mediatorId?: number | null;
	handleBy?: string | null;
	extensionDays?: number;
	/** The statutory conclusion date after an extension. */
	concludeBy?: string;
}

/** One line of the case timeline; the use case stores it with its audit row in the same transaction. */
export interface TimelineEntry {
	transition: TransitionName;
	at: Date;
	actorId: number;
	/** The role whose grant allowed the transition (e.g. 'agent' asking review for the party they filed for). */
	actedAs: RoleName;
	fromStatus: CaseStatus;
	toStatus: CaseStatus;
	/** The reason or note given with the command, cleaned. */
	text: string | null;
	/** The conclusion summary or the review answer, cleaned. */
	summary: string | null;
	/** Whether `text` and `summary` may be shown on the public tracking page (the step itself always is). */
	publicText: boolean;
	details: TimelineDetails;
}

export type Decision = { ok: true; next: CaseChanges; timeline: TimelineEntry } | DecisionFailure;
