import { z } from 'zod';
import type { SessionStatus } from '../../../enums';
import { PANEL_MEMBER_TYPES } from '../../db/schema/mediation';
import type { PanelMemberType } from '../panel/rules';
import { freeText, optionalFreeText } from '../../validation';

/**
 * Pure rules of mediation sessions (调解会/评理会): scheduling input, the status steps and the capacity
 * someone attends in. No DB.
 */

export type { SessionStatus };
export type SessionStep = 'start' | 'end' | 'cancel';

const MINUTE_MS = 60_000;
/** How far ahead a session may be set: a mediation does not wait a year. */
const MAX_AHEAD_MS = 366 * 24 * 60 * MINUTE_MS;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A date-time as a `datetime-local` input sends it ('2026-03-02T09:30') means that time in China
 * (UTC+8, no daylight saving since 1991), whatever the server's zone. A time that does not exist
 * ('2026-02-30T09:00', '25:00') is refused rather than rolled over.
 */
export function shanghaiLocalDateTime(value: string): Date | null {
	const m = LOCAL_DATE_TIME.exec(value.trim());
	if (!m) return null;
	const [y, mo, d, h, mi, s] = m.slice(1).map((p) => Number(p ?? 0));
	const utc = Date.UTC(y, mo - 1, d, h, mi, s);
	const check = new Date(utc);
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi) {
		return null;
	}
	return new Date(utc - 8 * 60 * MINUTE_MS);
}

/**
 * When, as of `now`: empty is "required", anything that is not a real date-time "invalid"; not in the
 * past (the current minute still counts: a `datetime-local` input has no seconds) nor too far ahead.
 */
const when = (now: Date) =>
	z.unknown().transform((v, ctx) => {
		const at = typeof v === 'string' && v.trim() !== '' ? shanghaiLocalDateTime(v) : v instanceof Date ? v : undefined;
		const blank = v == null || (typeof v === 'string' && v.trim() === '');
		const problem = !(at instanceof Date) || Number.isNaN(at.getTime())
			? blank ? 'err_ss_when_required' : 'err_ss_when_invalid'
			: at.getTime() < now.getTime() - MINUTE_MS
				? 'err_ss_in_past'
				: at.getTime() > now.getTime() + MAX_AHEAD_MS
					? 'err_ss_too_far'
					: null;
		if (problem) {
			ctx.addIssue({ code: 'custom', message: problem });
			return z.NEVER;
		}
		return at as Date;
	});

const checkbox = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());

/**
 * A session to schedule, as of `now`: when (above); held at a place unless fully remote (a hybrid
 * session has both); open or closed to the public as the parties asked (人民调解法 art. 23).
 */
export const scheduleInput = (now: Date) =>
	z
		.object({
			scheduledAt: when(now),
			location: optionalFreeText(200),
			remote: checkbox,
			openness: z.enum(['open', 'closed'], { message: 'err_ss_openness_required' })
		})
		.refine((v) => v.remote || v.location, {
			path: ['location'],
			message: 'err_ss_place_required',
			// Checked even when other fields are wrong, so one submission shows every problem.
			when: (payload) => payload.issues.every((i) => i.path?.[0] !== 'location')
		});

export type ScheduleInput = z.input<ReturnType<typeof scheduleInput>>;

export const cancelInput = z.object({ reason: freeText(300, 'err_ss_reason_required') });

/** Capacities of people added by hand (no account): a party, their relatives and neighbours (art. 20), and others. */
export const WALK_IN_CAPACITIES = ['party', 'relative', 'neighbour', 'witness', 'representative', 'observer'] as const;
export const attendeeInput = z.object({
	name: freeText(60, 'err_ss_name_required'),
	capacity: z.enum(WALK_IN_CAPACITIES, { message: 'err_ss_capacity_required' })
});

export type Capacity = 'mediator' | PanelMemberType | (typeof WALK_IN_CAPACITIES)[number];
export const CAPACITIES: readonly Capacity[] = ['mediator', ...PANEL_MEMBER_TYPES, ...WALK_IN_CAPACITIES];

const FROM: Record<SessionStep, SessionStatus> = { start: 'scheduled', end: 'in_progress', cancel: 'scheduled' };
const TO: Record<SessionStep, SessionStatus> = { start: 'in_progress', end: 'ended', cancel: 'cancelled' };

/**
 * scheduled → in_progress → ended, or scheduled → cancelled. A session under way is ended, not
 * cancelled (what was said in it stays on the record). Returns the next status, or the message key
 * of why not.
 */
export function sessionStep(status: SessionStatus, step: SessionStep): { ok: true; to: SessionStatus } | { ok: false; reason: string } {
	if (status === FROM[step]) return { ok: true, to: TO[step] };
	const reason: Record<SessionStatus, string> = {
		scheduled: 'err_ss_not_started',
		in_progress: step === 'start' ? 'err_ss_already_started' : 'err_ss_in_progress',
		ended: 'err_ss_already_ended',
		cancelled: 'err_ss_cancelled'
	};
	return { ok: false, reason: reason[status] };
}

/**
 * The capacity a signed-in person attends in, from their role on the case: whoever runs the
 * mediation; a sitting, non-recused panel member as their member type; a party; anyone else who
 * may see the case (supervisors, a recused member) observes.
 */
/**
 * Whether someone who opens the session's live record attends remotely. The app cannot see where a
 * phone is, so it goes by how the session is held: without a place everyone is remote; in a room
 * only, everyone is in it; in a room with remote joining too, the one running the mediation is in
 * the room and the others joined from afar (people in the room without the app are added by hand).
 */
export function joinsRemotely(session: { location: string | null; remote: boolean }, runsMediation: boolean): boolean {
	if (!session.location) return true;
	if (!session.remote) return false;
	return !runsMediation;
}

export function attendeeCapacity(on: { runsMediation: boolean; memberType: PanelMemberType | null; isParty: boolean }): Capacity {
	if (on.runsMediation) return 'mediator';
	if (on.memberType) return on.memberType;
	if (on.isParty) return 'party';
	return 'observer';
}
