import { z } from 'zod';
import type { Viewer } from '../../types';
import type { RateLimitRule } from '../auth/rate-limit';
import type { HolidayCalendar } from '../cases/holidays';
import { addDays, isIsoDate, shanghaiDate } from '../cases/shanghai-date';
import { normalizePhone } from '../../utils/phone';
import { freeText } from '../validation';

/**
 * Pure rules of video reception (视频接访, issue 14): the public request, the sittings a petitioner may
 * choose, the budgets, the scheduling window and how long a personal link lasts. No database here.
 */

export type HalfDay = 'am' | 'pm';

/** Requests per phone and per address a day: a person asks once or twice, a script many times. */
export const RECEPTION_REQUEST_PER_PHONE: RateLimitRule = { name: 'reception-request-phone', max: 3, windowMs: 24 * 60 * 60_000 };
export const RECEPTION_REQUEST_PER_ADDRESS: RateLimitRule = { name: 'reception-request-address', max: 10, windowMs: 24 * 60 * 60_000 };
/** One use per request form: a reload of the "sent" page (a re-post without JS) asks nothing twice. */
export const RECEPTION_REQUEST_ONCE: RateLimitRule = { name: 'reception-request-once', max: 1, windowMs: 24 * 60 * 60_000 };
/** Codes texted per request and per address, and wrong codes, as for the signing link. */
export const RECEPTION_CODE_SEND_PER_REQUEST: RateLimitRule = { name: 'reception-code-send', max: 3, windowMs: 15 * 60_000 };
export const RECEPTION_CODE_SEND_PER_ADDRESS: RateLimitRule = { name: 'reception-code-send-address', max: 20, windowMs: 15 * 60_000 };
export const RECEPTION_CODE_TRY_PER_REQUEST: RateLimitRule = { name: 'reception-code-try', max: 5, windowMs: 15 * 60_000 };
export const RECEPTION_CODE_TRY_PER_ADDRESS: RateLimitRule = { name: 'reception-code-try-address', max: 30, windowMs: 15 * 60_000 };

/** How many working days ahead a petitioner may choose. */
export const BOOKABLE_WORKING_DAYS = 5;
/** A one-time code lasts ten minutes; a correct code lets the browser wait for two hours. */
export const RECEPTION_CODE_TTL_MS = 10 * 60_000;
export const RECEPTION_GRANT_TTL_MS = 2 * 60 * 60_000;
/** The link works until two hours after the agreed time: long enough for a late call, not for ever. */
export const LINK_GRACE_MS = 2 * 60 * 60_000;
/** Staff schedule at most this far ahead. */
export const SCHEDULE_HORIZON_MS = 30 * 24 * 60 * 60_000;

/** The sittings a petitioner may choose: both halves of the next working days, from tomorrow. */
export function bookableSittings(now: Date, calendar: HolidayCalendar, days = BOOKABLE_WORKING_DAYS): { date: string; halfDay: HalfDay }[] {
	const out: { date: string; halfDay: HalfDay }[] = [];
	let date = shanghaiDate(now);
	// Holidays last at most nine days in a row; 30 bounds the search anyway.
	for (let i = 0; i < 30 && out.length < days * 2; i++) {
		date = addDays(date, 1);
		if (calendar.isWorkingDay(date)) out.push({ date, halfDay: 'am' }, { date, halfDay: 'pm' });
	}
	return out;
}

/** A sitting as the form posts it: `2026-12-07/am`. */
export function parseSitting(raw: unknown): { date: string; halfDay: HalfDay } | null {
	const m = typeof raw === 'string' ? /^(\d{4}-\d{2}-\d{2})\/(am|pm)$/.exec(raw) : null;
	return m && isIsoDate(m[1]) ? { date: m[1], halfDay: m[2] as HalfDay } : null;
}

const phone = z.string({ message: 'err_required' }).transform((s, ctx) => {
	if (!s.trim()) {
		ctx.addIssue({ code: 'custom', message: 'err_required' });
		return z.NEVER;
	}
	const p = normalizePhone(s);
	if (!p) ctx.addIssue({ code: 'custom', message: 'err_phone_invalid' });
	return p ?? '';
});

/** The public request; the sitting and the place are checked against today's choices by the use case. */
export const receptionRequestInput = z.object({
	name: freeText(60),
	phone,
	matter: freeText(200),
	sitting: z.string({ message: 'rc_err_sitting' }).min(1, 'rc_err_sitting'),
	placeId: z.string({ message: 'err_required' }).regex(/^(county|\d{1,10})$/, 'err_required')
});

/**
 * The agreed time as a `datetime-local` input sends it ('2026-12-07T09:30'), read as Shanghai time.
 * Null when it is not one.
 */
export function parseShanghaiDateTime(raw: unknown): Date | null {
	const m = typeof raw === 'string' ? /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(raw.trim()) : null;
	if (!m || !isIsoDate(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
	return new Date(`${m[1]}T${m[2]}:${m[3]}:00+08:00`);
}

/** Why a time cannot be agreed, or null: it must lie ahead, within the horizon. */
export function scheduleRefusal(at: Date | null, now: Date): string | null {
	if (!at) return 'rc_err_time';
	if (at.getTime() <= now.getTime()) return 'rc_err_time_past';
	if (at.getTime() - now.getTime() > SCHEDULE_HORIZON_MS) return 'rc_err_time_far';
	return null;
}

/** A request may be (re)scheduled until it is filed or cancelled. */
export function maySchedule(status: string): boolean {
	return status === 'requested' || status === 'scheduled';
}

/** Area staff who take receptions for their place; the same roles that see an area's matters. */
export const RECEPTION_ROLES = ['supervisor', 'mediator', 'legal_advisor', 'legal_villager'] as const;

/** Whether the viewer has a reception queue at all (the rows in it are `receptionVisibility`'s). */
export function mayOpenReceptionQueue(viewer: Viewer): boolean {
	const staff = viewer.roles.some((r) => (RECEPTION_ROLES as readonly string[]).includes(r.role));
	return (staff && viewer.place.kind !== 'village') || (viewer.department != null && viewer.roles.some((r) => r.role !== 'party'));
}
