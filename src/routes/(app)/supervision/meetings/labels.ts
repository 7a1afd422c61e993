import { m } from '$lib/paraglide/messages';
import type { AgendaReason, MeetingKindName } from '$lib/server/meetings/rules';

/** The words for a meeting's kind and an agenda reason, in the reader's language. */
export const kindLabel = (kind: MeetingKindName): string =>
	({ on_site: m.mt_kind_on_site, analysis: m.mt_kind_analysis, coordination: m.mt_kind_coordination, joint: m.mt_kind_joint })[kind]();

export const reasonLabel = (reason: AgendaReason): string =>
	({ overdue: m.mt_reason_overdue, idle: m.mt_reason_idle, passed_on: m.mt_reason_passed_on, reopened: m.mt_reason_reopened })[reason]();
