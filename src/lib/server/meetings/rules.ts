import { z } from 'zod';
import { MEETING_KINDS, type MeetingKindName } from '../../enums';
import type { Viewer } from '../../types';
import { addDays, isIsoDate } from '../cases/shanghai-date';
import { freeText, formId } from '../validation';

/**
 * Pure rules of the meetings on stalled matters (现场会、分析会、协调会、联席会; issue 13 part 3): who
 * holds them, what puts a matter on the proposed agenda, what a decision must say and when it is
 * overdue. No database here.
 */

export { MEETING_KINDS, type MeetingKindName };

/** 现场会 … 联席会, for the minutes (an official paper, always in Chinese). */
export const KIND_ZH: Record<MeetingKindName, string> = { on_site: '现场会', analysis: '分析会', coordination: '协调会', joint: '联席会' };

/**
 * Why a matter is proposed: behind its statutory date (`overdue`), no activity for the stalled threshold
 * (`idle`), passed on two or more times (`passed_on`: 转办, 上交 and 退回 steps on its timeline) or
 * reopened (`reopened`: 复查 or 复核 asked for).
 */
export const AGENDA_REASONS = ['overdue', 'idle', 'passed_on', 'reopened'] as const;
export type AgendaReason = (typeof AGENDA_REASONS)[number];

/** The timeline steps that pass a matter from one handler to another. */
export const PASSING_ON_KINDS = ['assign', 'escalate', 'return_down'] as const;
/** "Passed on two or more times" (推诿、重复交办). */
export const PASSED_ON_MIN = 2;
/** At most this many matters on one agenda: a meeting works through a list it can finish. */
export const MAX_AGENDA = 20;
/** How many proposals the page lists. */
export const PROPOSAL_LIMIT = 30;
/** A decision's time limit: from the meeting day up to 90 days ahead. */
export const MAX_ACTION_DAYS = 90;

/** County and township supervisors hold meetings on the matters of their area. */
export function mayHoldMeetings(viewer: Viewer): boolean {
	return viewer.place.kind !== 'village' && viewer.roles.some((r) => r.role === 'supervisor');
}

/** An action is overdue while it is not done after its time limit (the limit day itself is on time). */
export function actionIsOverdue(a: { doneAt: Date | null; dueOn: string }, today: string): boolean {
	return a.doneAt === null && a.dueOn < today;
}

/**
 * A matter on an agenda is cleared (见底清零) once it has decisions and every one is done; without a
 * decision yet it is still waiting for the meeting's answer.
 */
export function matterCleared(actions: { doneAt: Date | null }[]): boolean {
	return actions.length > 0 && actions.every((a) => a.doneAt !== null);
}

/** `YYYY-MM-DDTHH:mm` as typed in a datetime-local field, read as Shanghai time. */
export function parseShanghaiDateTime(raw: string): Date | null {
	const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(raw);
	if (!m || !isIsoDate(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
	return new Date(`${m[1]}T${m[2]}:${m[3]}:00+08:00`);
}

/** A list of ids from checkboxes (one value, several or none), each once. */
const ids = (min: string, max: number, tooMany: string) =>
	z
		.preprocess((v) => (v == null || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(formId).min(1, min).max(max, tooMany))
		.transform((list) => [...new Set(list)]);

/** The meeting form. Held up to a year back (minutes written afterwards) or 60 days ahead (planned). */
export const holdMeetingInput = (now: Date) =>
	z.object({
		kind: z.enum(MEETING_KINDS, { message: 'mt_err_kind' }),
		heldAt: z
			.string({ message: 'err_required' })
			.trim()
			.min(1, 'err_required')
			.transform((v, ctx) => {
				const at = parseShanghaiDateTime(v);
				if (!at) {
					ctx.addIssue({ code: 'custom', message: 'err_date_invalid' });
					return z.NEVER;
				}
				if (at.getTime() < now.getTime() - 366 * 86_400_000 || at.getTime() > now.getTime() + 60 * 86_400_000) {
					ctx.addIssue({ code: 'custom', message: 'mt_err_held_range' });
					return z.NEVER;
				}
				return at;
			}),
		location: freeText(200),
		attendees: freeText(500),
		departmentIds: ids('mt_err_departments', 40, 'mt_err_departments'),
		caseIds: ids('mt_err_agenda', MAX_AGENDA, 'mt_err_agenda_too_long')
	});

/** A decision on one matter, as of the meeting day: the limit runs from then to 90 days ahead. */
export const addActionInput = (meetingDay: string) =>
	z.object({
		caseId: formId,
		decision: freeText(1000),
		departmentId: formId,
		ownerId: formId,
		dueOn: z
			.string({ message: 'err_required' })
			.trim()
			.min(1, 'err_required')
			.refine(isIsoDate, 'err_date_invalid')
			.refine((d) => d >= meetingDay && d <= addDays(meetingDay, MAX_ACTION_DAYS), 'mt_err_due_range')
	});

export const completeActionInput = z.object({ actionId: formId, note: freeText(1000) });
