import type { SignerRole } from '../../enums';
import { z } from 'zod';
import { shanghaiDate, isIsoDate } from '../cases/shanghai-date';
import type { AgreementStatus } from '../db/schema/agreements';
import { AppError } from '../errors';
import { freeText, lineText } from '../validation';

/**
 * Pure rules of the mediation agreement (调解协议书, 人民调解法 arts. 29–31). No DB: the use cases load
 * rows and ask these. Messages are message keys (messages/agreement).
 */

/** The draft's texts may be left empty for now: '' then. */
const longText = (max: number) => freeText(max, { blank: 'empty' });
const line = (max: number, required?: string) => (required ? lineText(max, required) : lineText(max, { blank: 'empty' }));

/** The largest amount a term may carry: 100 million yuan, far above any village dispute. */
export const MAX_AMOUNT_FEN = 10_000_000_000;

/**
 * "1200.5" / "1,200.50" / "１２００" → 120050 fen. Empty → null. Anything else (negative, more than two
 * decimals, letters) is a message key, not a guess.
 */
export function parseYuan(raw: string): number | null | 'err_ag_amount_negative' | 'err_ag_amount_invalid' | 'err_ag_amount_too_large' {
	const s = raw.normalize('NFKC').replace(/[,\s]/g, '').replace(/元$/, '');
	if (s === '') return null;
	if (/^-/.test(s)) return 'err_ag_amount_negative';
	const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
	if (!m) return 'err_ag_amount_invalid';
	const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
	return fen > MAX_AMOUNT_FEN ? 'err_ag_amount_too_large' : fen;
}

/** The draft's free-text parts and each party's responsibility (`responsibility.<partyId>`). */
export const draftTextInput = z.object({
	facts: longText(20_000),
	issues: longText(10_000),
	otherTerms: longText(10_000),
	responsibility: z.record(z.string().regex(/^\d{1,15}$/), longText(5_000)).default({})
});

/**
 * One agreed term. `today` is the Shanghai date now: a due date in the past cannot be performed (and
 * the agreement cannot take effect before it is signed, so its effective date is today at the earliest).
 */
export const termInput = (today: string) =>
	z
		.object({
			obligorPartyId: z.preprocess(
				(v) => (v === '' || v == null || v === 'all' ? null : v),
				z.coerce.number({ message: 'err_ag_obligor_invalid' }).int('err_ag_obligor_invalid').positive('err_ag_obligor_invalid').nullable()
			),
			what: line(500, 'err_ag_term_what_required'),
			amount: z
				.string()
				.optional()
				.transform((s, ctx) => {
					const fen = parseYuan(s ?? '');
					if (typeof fen === 'string') {
						ctx.addIssue({ code: 'custom', message: fen });
						return z.NEVER;
					}
					return fen;
				}),
			how: line(300),
			dueOn: z
				.string()
				.optional()
				.transform((s) => (s ?? '').trim())
				.pipe(
					z
						.string()
						.refine((s) => s === '' || isIsoDate(s), 'err_ag_due_invalid')
						.refine((s) => s === '' || s >= today, 'err_ag_due_past')
				)
				.transform((s) => (s === '' ? null : s))
		})
		.transform(({ amount, ...rest }) => ({ ...rest, amountFen: amount }));

export type TermInput = z.input<ReturnType<typeof termInput>>;
export type DraftTextInput = z.input<typeof draftTextInput>;

export const unfreezeInput = z.object({ reason: line(300, 'err_ag_unfreeze_reason_required') });

export function requireStatus(status: AgreementStatus, wanted: AgreementStatus, message: string): void {
	if (status !== wanted) throw new AppError('conflict', { _: message });
}

/** The Shanghai date of an instant: when a due date or effective date is "today". */
export function todayOf(now: Date): string {
	return shanghaiDate(now);
}

/** What stops a draft from being frozen: the first problem, as a message key and the term number. */
export function freezeProblem(draft: {
	facts: string;
	terms: { what: string; dueOn: string | null }[];
	otherTerms: string;
	today: string;
}): { message: string; term?: number } | null {
	if (draft.facts.trim() === '') return { message: 'err_ag_facts_required' };
	if (draft.terms.length === 0 && draft.otherTerms.trim() === '') return { message: 'err_ag_terms_required' };
	const late = draft.terms.findIndex((t) => t.dueOn !== null && t.dueOn < draft.today);
	if (late >= 0) return { message: 'err_ag_due_before_effective', term: late + 1 };
	return null;
}

/**
 * Art. 29: the agreement takes effect when every party has signed, the mediator has signed and the
 * committee's seal is on it. A refusal blocks it until the agreement is unfrozen and revised.
 */
export interface SigningState {
	partyIds: number[];
	signatures: { role: SignerRole; partyId: number | null; refused: boolean }[];
}

export function partiesStillToSign(s: SigningState): number[] {
	const answered = new Set(s.signatures.filter((x) => x.role === 'party').map((x) => x.partyId));
	return s.partyIds.filter((id) => !answered.has(id));
}

export function anyRefusal(s: SigningState): boolean {
	return s.signatures.some((x) => x.refused);
}

/** The mediator signs last: only once every party has signed and nobody refused. */
export function mediatorMaySign(s: SigningState): boolean {
	return partiesStillToSign(s).length === 0 && !anyRefusal(s) && !s.signatures.some((x) => x.role === 'mediator');
}
