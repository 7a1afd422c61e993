import { z } from 'zod';
import { VISIT_METHODS } from '../../enums';
import { addDays, isIsoDate } from '../cases/shanghai-date';
import { optionalFreeText } from '../validation';

/**
 * Pure rules of the follow-up after an agreement: performance of its terms (人民调解法 art. 31), the
 * window for joint judicial confirmation (art. 33) and return visits (回访) with the parties'
 * satisfaction ("事心双解"). Dates are Shanghai calendar dates (YYYY-MM-DD).
 */

/** Art. 33: the parties may jointly ask a court to confirm the agreement within 30 days of it taking effect. */
export const CONFIRMATION_DAYS = 30;
/** A pending term shows on the mediator's home page from this many days before it is due. */
export const REMIND_DAYS = 7;

export function confirmationDeadline(effectiveOn: string): string {
	return addDays(effectiveOn, CONFIRMATION_DAYS);
}

export type TermState = 'done' | 'overdue' | 'due' | 'pending';

/** done; overdue (pending past its due date); due (pending, due within the reminder days); pending. */
export function termState(t: { done: boolean; dueOn: string | null }, today: string): TermState {
	if (t.done) return 'done';
	if (t.dueOn === null) return 'pending';
	if (t.dueOn < today) return 'overdue';
	return t.dueOn <= addDays(today, REMIND_DAYS) ? 'due' : 'pending';
}

const date = (message: string) => z.preprocess((v) => (v === '' || v == null ? null : v), z.string().refine(isIsoDate, message).nullable());
const id = (message: string) => z.coerce.number({ message }).int(message).positive(message);

/** A statement on one term: performed on a date, or not (yet), with what was heard. */
export const performanceInput = (today: string, effectiveOn: string) =>
	z
		.object({
			termId: id('err_fu_term_required'),
			done: z.enum(['yes', 'no'], { message: 'err_fu_done_required' }).transform((v) => v === 'yes'),
			doneOn: date('err_fu_date_invalid'),
			note: optionalFreeText(500)
		})
		.superRefine((v, ctx) => {
			const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
			if (v.done && !v.doneOn) issue('doneOn', 'err_fu_done_on_required');
			if (v.doneOn && v.doneOn > today) issue('doneOn', 'err_fu_date_future');
			// A term of the agreement cannot have been performed under it before the agreement existed.
			if (v.doneOn && v.doneOn < effectiveOn) issue('doneOn', 'err_fu_before_effective');
			if (!v.done && !v.note) issue('note', 'err_fu_note_required');
		});

export { VISIT_METHODS };

export const visitInput = (today: string) =>
	z
		.object({
			partyId: id('err_fu_party_required'),
			visitedOn: date('err_fu_date_invalid').refine((d) => d !== null, 'err_fu_visited_on_required'),
			method: z.enum(VISIT_METHODS, { message: 'err_fu_method_required' }),
			satisfaction: z.coerce.number({ message: 'err_fu_satisfaction_required' }).int('err_fu_satisfaction_required').min(1, 'err_fu_satisfaction_required').max(5, 'err_fu_satisfaction_required'),
			comment: optionalFreeText(500)
		})
		.superRefine((v, ctx) => {
			if (v.visitedOn && v.visitedOn > today) ctx.addIssue({ code: 'custom', path: ['visitedOn'], message: 'err_fu_date_future' });
		});
