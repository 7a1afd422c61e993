import type { SupervisionStatus } from '../../enums';
import { z } from 'zod';
import type { CaseStatus } from '../cases/states';
import { addDays, isIsoDate } from '../cases/shanghai-date';
import { freeText, formId } from '../validation';

/**
 * Pure rules of 督办 (supervision): what the supervisor's lists mean and what a supervision order
 * may say. No database here; the use cases beside this file apply them.
 */

/** A due date within this many days (today included) is "due soon" — the same window as the clocks' default. */
export const DUE_SOON_DAYS = 3;
/** "Stalled" by default after this many days without activity; the supervisor may change it per view. */
export const DEFAULT_STALLED_DAYS = 10;
export const MAX_STALLED_DAYS = 365;
/** The time limit of an order: from today up to this many days ahead. */
export const MAX_ORDER_DAYS = 60;
export const PAGE_SIZE = 20;

export const SUPERVISION_LISTS = ['overdue', 'due_soon', 'stalled', 'repeat'] as const;
export type SupervisionList = (typeof SUPERVISION_LISTS)[number];

/** Roles that handle matters and so may be named owner of an order. */
export const OWNER_ROLES = ['mediator', 'supervisor'] as const;

/**
 * Statuses in which the office still owes the next step (accept, route, handle, follow up, archive).
 * A refused or archived matter cannot stall.
 */
export const CLOSED_STATUSES: readonly CaseStatus[] = ['not_accepted', 'archived'];

/**
 * Whether a case can still be pushed: its handling is open, or a statutory clock still binds the office
 * (a review asked for on an archived case keeps `nextDueOn` set until it is answered).
 */
export function caseOpenForSupervision(c: { status: CaseStatus; nextDueOn: string | null }): boolean {
	return !CLOSED_STATUSES.includes(c.status) || c.nextDueOn !== null;
}

export type OrderStatus = SupervisionStatus;

/** An order is overdue while it is unanswered after its time limit (the limit day itself is on time). */
export function orderIsOverdue(o: { status: OrderStatus; dueOn: string }, today: string): boolean {
	return o.status === 'open' && o.dueOn < today;
}

const id = formId;

/** The issue form, as of `today` (a Shanghai date): the time limit runs from today to 60 days ahead. */
export const issueOrderInput = (today: string) =>
	z.object({
		caseId: id,
		ownerId: id,
		dueOn: z
			.string({ message: 'err_required' })
			.trim()
			.min(1, 'err_required')
			.refine(isIsoDate, 'err_date_invalid')
			.superRefine((dueOn, ctx) => {
				const problem = checkOrderDue(dueOn, today);
				if (problem) ctx.addIssue({ code: 'custom', message: problem });
			}),
		note: freeText(1000)
	});

export const answerOrderInput = z.object({ orderId: id, answer: freeText(1000) });

export const closeOrderInput = z.object({
	orderId: id,
	note: z.preprocess((v) => (v == null || (typeof v === 'string' && v.trim() === '') ? null : v), freeText(1000).nullable())
});

/** The message key of what is wrong with a time limit, or null when it is today or up to 60 days ahead. */
export function checkOrderDue(dueOn: string, today: string): string | null {
	if (dueOn < today) return 'err_sv_due_past';
	if (dueOn > addDays(today, MAX_ORDER_DAYS)) return 'err_sv_due_too_far';
	return null;
}

/** The view the supervisor asked for, from the query string; anything odd falls back to the default. */
export function parseListQuery(params: URLSearchParams): { list: SupervisionList; page: number; stalledDays: number } {
	const list = SUPERVISION_LISTS.find((l) => l === params.get('list')) ?? 'overdue';
	const page = clampInt(params.get('page'), 1, 10_000, 1);
	const stalledDays = clampInt(params.get('days'), 1, MAX_STALLED_DAYS, DEFAULT_STALLED_DAYS);
	return { list, page, stalledDays };
}

function clampInt(raw: string | null, min: number, max: number, fallback: number): number {
	const n = raw != null && /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
	return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}
