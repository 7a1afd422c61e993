import { TRANSITIONS } from './states';

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
	'party_invite'
] as const;

export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];
