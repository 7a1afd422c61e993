/**
 * Every closed list of values the app stores, written once. The database enums
 * (`src/lib/server/db/schema/`), the rules that check input, and the types on both sides are all
 * derived from these lists, so a value added here is added everywhere (a migration follows from
 * `npx drizzle-kit generate`). Shared code: no imports, safe in the browser.
 */

/** The levels of the place tree, top down: a tree's root is a province, a city or a county. */
export const PLACE_KINDS = ['province', 'city', 'county', 'township', 'village'] as const;
/** Where a matter came in (信访工作条例 art. 17 channels and the county's own). */
export const CHANNELS = ['leader_mailbox', 'online', 'phone', 'sms', 'wechat', 'video', 'walk_in', 'grid_report', 'agent'] as const;

/** Roles a person holds (see shared/domain.md, "Users"). */
export const ROLE_NAMES = ['admin', 'supervisor', 'mediator', 'legal_advisor', 'legal_villager', 'panelist', 'agent', 'grid_worker', 'party'] as const;
/** The kinds of third party a "大家来评理" panel draws on. */
export const PANELIST_TYPES = ['lawyer', 'veteran_party_member', 'retired_cadre', 'model_worker', 'social_worker', 'counsellor', 'professional_mediator'] as const;

/**
 * The loop 接→转→办→评→报 as states (transitions: src/lib/server/cases/states.ts).
 * - `registered`: filed, awaiting the accept/not-accept decision (信访工作条例 art. 22–23).
 * - `not_accepted`: refused with a reason told to the petitioner; may only be archived.
 * - `accepted`: accepted at the current place, not yet routed to a handler.
 * - `assigned`: routed (转送/交办) to a place, a county department and/or a mediator, with a deadline.
 * - `in_mediation`: the assigned mediator has started mediation.
 * - `concluded`: handled and replied to (答复); the review window runs from here.
 * - `follow_up`: return visit and rating (回访/评价).
 * - `archived`: filed away; a review may still be asked for within its window.
 */
export const CASE_STATUSES = ['registered', 'not_accepted', 'accepted', 'assigned', 'in_mediation', 'concluded', 'follow_up', 'archived'] as const;
/**
 * Where the case stands in 复查 (review, art. 35) and 复核 (re-review, art. 36). Runs beside the status
 * because a review does not reopen the handling: the status stays concluded/follow_up/archived.
 * `re_review_answered` is final (art. 36: the re-review opinion ends the matter).
 */
export const REVIEW_STAGES = ['none', 'review_requested', 'review_answered', 're_review_requested', 're_review_answered'] as const;
/** The moves of the case loop; what each may do is decided in src/lib/server/cases/transitions.ts. */
export const TRANSITIONS = [
	'accept',
	'reject',
	'assign',
	'start_mediation',
	'conclude',
	'start_follow_up',
	'archive',
	'escalate',
	'return_down',
	'extend',
	'request_review',
	'request_re_review',
	'answer_review'
] as const;

/**
 * Every kind of row a case's timeline (`case_events.kind`) can hold: the case loop's transitions and
 * each area's activity. The column is typed with this list, so a new kind is added here first, and
 * the unit test over this list fails until the timeline has words for it in every language.
 */
export const CASE_EVENT_KINDS = [
	...TRANSITIONS,
	'filed',
	'staff_note',
	'attachment_add',
	'public_rating',
	'cluster_confirm',
	'supervision_issue',
	'supervision_answer',
	'supervision_close',
	'mediator_acceptance',
	'panel_invite',
	'panel_declare',
	'panel_remove',
	'session_scheduled',
	'session_started',
	'session_ended',
	'session_cancelled',
	'session_attended',
	'opinion_submit',
	'opinion_reveal',
	'agreement_created',
	'agreement_edited',
	'agreement_frozen',
	'agreement_unfrozen',
	'agreement_invited',
	'agreement_signed',
	'agreement_refused',
	'agreement_effective',
	'outcome_record',
	'outcome_response',
	'performance_record',
	'return_visit',
	'party_phone_correct',
	'party_invite',
	'studio_assign',
	'studio_withdraw',
	'escalation_record'
] as const;

export const PARTY_SIDES = ['applicant', 'respondent'] as const;
export const PARTY_KINDS = ['person', 'organisation'] as const;
export const SUPERVISION_STATUSES = ['open', 'answered', 'closed'] as const;

export const CONFLICT_DECLARATIONS = ['pending', 'no_conflict', 'recused'] as const;
export const SESSION_STATUSES = ['scheduled', 'in_progress', 'ended', 'cancelled'] as const;
/** Art. 23: the parties may ask for an open or a closed session. */
export const SESSION_OPENNESS = ['open', 'closed'] as const;
export const OPINION_POSITIONS = ['supports_applicant', 'supports_respondent', 'compromise', 'abstains'] as const;

export const AGREEMENT_STATUSES = ['draft', 'frozen', 'effective'] as const;
export const SIGNER_ROLES = ['party', 'mediator'] as const;
export const SIGNATURE_MARKS = ['drawn', 'thumbprint'] as const;
export const SIGNATURE_CHANNELS = ['account', 'invitation'] as const;
/** How a signer confirmed the name the signature is under: typed it, tapped "我是 …", or a thumbprint alone. */
export const NAME_CONFIRMATIONS = ['typed', 'tapped', 'mark_only'] as const;

export const OUTCOME_KINDS = ['written_agreement', 'oral_agreement', 'partial_agreement', 'failure'] as const;
export const OUTCOME_CLASSES = ['claim_resolved', 'hardship_aided', 'policy_explained'] as const;
export const PETITION_DECISIONS = ['supported', 'explained', 'not_supported'] as const;
export const NEXT_STEPS = ['concluded', 'escalated'] as const;
export const VISIT_METHODS = ['in_person', 'phone', 'video'] as const;

export const MEETING_KINDS = ['on_site', 'analysis', 'coordination', 'joint'] as const;
export const HALF_DAYS = ['am', 'pm'] as const;
export const RECEPTION_STATUSES = ['requested', 'scheduled', 'filed', 'cancelled'] as const;

export type PlaceKind = (typeof PLACE_KINDS)[number];
export type Channel = (typeof CHANNELS)[number];
export type ReceptionStatus = (typeof RECEPTION_STATUSES)[number];
export type RoleName = (typeof ROLE_NAMES)[number];
export type PanelistType = (typeof PANELIST_TYPES)[number];
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type TransitionName = (typeof TRANSITIONS)[number];
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];
export type ReviewStage = (typeof REVIEW_STAGES)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];
export type NameConfirmation = (typeof NAME_CONFIRMATIONS)[number];
export type OpinionPosition = (typeof OPINION_POSITIONS)[number];
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export type VisitMethod = (typeof VISIT_METHODS)[number];
export type MeetingKindName = (typeof MEETING_KINDS)[number];
export type HalfDay = (typeof HALF_DAYS)[number];
export type PartySide = (typeof PARTY_SIDES)[number];
export type PartyKind = (typeof PARTY_KINDS)[number];
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];
export type ConflictDeclaration = (typeof CONFLICT_DECLARATIONS)[number];
export type SignerRole = (typeof SIGNER_ROLES)[number];
export type SignatureMark = (typeof SIGNATURE_MARKS)[number];

/** Whether a comment thread still asks for an answer. */
export const COMMENT_THREAD_STATUSES = ['open', 'resolved'] as const;

/**
 * What an entry of a comment thread is: a comment (the first opens the thread, the others reply), or
 * the thread being resolved or reopened, so the record's history is one ordered list.
 */
export const COMMENT_ENTRY_KINDS = ['comment', 'resolve', 'reopen'] as const;
