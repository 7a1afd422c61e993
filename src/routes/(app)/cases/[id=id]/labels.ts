import { m } from '$lib/paraglide/messages';
import type { ClockName } from '$lib/server/cases/clocks';
import type { CaseEventKind } from '$lib/enums';

/**
 * Labels of timeline entries, clocks and review stages on the case page. Keyed by every event kind, so
 * a kind added to CASE_EVENT_KINDS does not compile until it has words here.
 */
export const KINDS: Record<CaseEventKind, () => string> = {
	filed: m.cw_kind_filed,
	accept: m.cw_kind_accept,
	reject: m.cw_kind_reject,
	assign: m.cw_kind_assign,
	start_mediation: m.cw_kind_start_mediation,
	conclude: m.cw_kind_conclude,
	start_follow_up: m.cw_kind_start_follow_up,
	archive: m.cw_kind_archive,
	escalate: m.cw_kind_escalate,
	return_down: m.cw_kind_return_down,
	extend: m.cw_kind_extend,
	request_review: m.cw_kind_request_review,
	request_re_review: m.cw_kind_request_re_review,
	answer_review: m.cw_kind_answer_review,
	staff_note: m.cw_kind_staff_note,
	attachment_add: m.cw_kind_attachment_add,
	supervision_issue: m.cw_kind_supervision_issue,
	supervision_answer: m.cw_kind_supervision_answer,
	supervision_close: m.cw_kind_supervision_close,
	public_rating: m.cw_kind_public_rating,
	opinion_submit: m.oc_kind_opinion_submit,
	opinion_reveal: m.oc_kind_opinion_reveal,
	outcome_record: m.oc_kind_outcome_record,
	outcome_response: m.oc_kind_outcome_response,
	performance_record: m.oc_kind_performance_record,
	return_visit: m.oc_kind_return_visit,
	party_phone_correct: m.pt_kind_party_phone_correct,
	party_invite: m.pt_kind_party_invite,
	studio_assign: m.sd_kind_studio_assign,
	studio_withdraw: m.sd_kind_studio_withdraw,
	escalation_record: m.cy_kind_escalation_record,
	cluster_confirm: m.wd_kind_cluster_confirm,
	mediator_acceptance: m.wd_kind_mediator_acceptance,
	panel_invite: m.wd_kind_panel_invite,
	panel_declare: m.wd_kind_panel_declare,
	panel_remove: m.wd_kind_panel_remove,
	session_scheduled: m.wd_kind_session_scheduled,
	session_started: m.wd_kind_session_started,
	session_ended: m.wd_kind_session_ended,
	session_cancelled: m.wd_kind_session_cancelled,
	session_attended: m.wd_kind_session_attended,
	agreement_created: m.wd_kind_agreement_created,
	agreement_edited: m.wd_kind_agreement_edited,
	agreement_frozen: m.wd_kind_agreement_frozen,
	agreement_unfrozen: m.wd_kind_agreement_unfrozen,
	agreement_invited: m.wd_kind_agreement_invited,
	agreement_signed: m.wd_kind_agreement_signed,
	agreement_refused: m.wd_kind_agreement_refused,
	agreement_effective: m.wd_kind_agreement_effective
};

/** A kind's label; a row of a kind no longer defined (an old database) gets a neutral word, never its code. */
export const kindLabel = (kind: string): string => (KINDS as Record<string, () => string>)[kind]?.() ?? m.public_event_update();

/**
 * Who filed a case, as "roles name". A role the name already starts with (an account named after its
 * job, like the demo's "调解员 王秀英") is not said twice.
 */
export function filerText(name: string, roleLabels: readonly string[]): string {
	const roles = [...new Set(roleLabels)].filter((label) => !name.startsWith(label));
	return roles.length ? `${roles.join('、')} ${name}` : name;
}

export const clockLabel = (clock: ClockName): string =>
	({
		routeBy: m.cw_clock_routeBy,
		notifyBy: m.cw_clock_notifyBy,
		concludeBy: m.cw_clock_concludeBy,
		reviewRequestBy: m.cw_clock_reviewRequestBy,
		reviewAnswerBy: m.cw_clock_reviewAnswerBy,
		reReviewRequestBy: m.cw_clock_reReviewRequestBy,
		reReviewAnswerBy: m.cw_clock_reReviewAnswerBy
	})[clock]();

const REVIEW: Record<string, () => string> = {
	review_requested: m.cw_review_review_requested,
	review_answered: m.cw_review_review_answered,
	re_review_requested: m.cw_review_re_review_requested,
	re_review_answered: m.cw_review_re_review_answered
};

/** The review stage worth showing; none for 'none'. */
export const reviewStageLabel = (stage: string): string | null => REVIEW[stage]?.() ?? null;

/** 赴市, 赴省, 进京: how far above the county a matter went. */
export const escalationLabel = (level: 'city' | 'province' | 'beijing'): string =>
	({ city: m.cy_level_city, province: m.cy_level_province, beijing: m.cy_level_beijing })[level]();
