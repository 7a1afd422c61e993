import { and, eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { agreementTerms, caseParties } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { editDraft, type EditDraftOptions } from './edit-draft';
import { termInput, todayOf, type TermInput } from './rules';

async function requireParty(tx: Tx, caseId: number, partyId: number | null): Promise<void> {
	if (partyId === null) return;
	const [party] = await tx
		.select({ id: caseParties.id })
		.from(caseParties)
		.where(and(eq(caseParties.id, partyId), eq(caseParties.caseId, caseId)));
	if (!party) throw new AppError('invalid', { obligorPartyId: 'err_ag_obligor_invalid' });
}

/**
 * Adds an agreed term to the draft (numbered after the last), or updates one in place when `termId` is
 * given (its id stays, so performance tracking can refer to it). Validation: a term must say what is
 * to be done; an amount is non-negative yuan with at most two decimals; a due date is not in the past.
 */
export async function saveTerm(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: (TermInput & { termId?: unknown }) | Record<string, unknown>,
	options: EditDraftOptions = {}
): Promise<{ termId: number }> {
	const { ip, now = new Date() } = options;
	const input = parseInput(termInput(todayOf(now)), raw);
	const termId = raw.termId == null || raw.termId === '' ? null : Number(raw.termId);
	if (termId !== null && (!Number.isSafeInteger(termId) || termId <= 0)) throw new AppError('not_found');
	const values = { obligorPartyId: input.obligorPartyId, what: input.what, amountFen: input.amountFen, how: input.how, dueOn: input.dueOn };
	return editDraft(
		db,
		actor,
		caseId,
		termId === null ? 'term_add' : 'term_update',
		async (tx, agreement) => {
			await requireParty(tx, agreement.caseId, input.obligorPartyId);
			if (termId !== null) {
				const [updated] = await tx
					.update(agreementTerms)
					.set(values)
					.where(and(eq(agreementTerms.id, termId), eq(agreementTerms.agreementId, agreement.id)))
					.returning({ id: agreementTerms.id });
				if (!updated) throw new AppError('not_found');
				return { termId: updated.id };
			}
			const [{ last }] = await tx
				.select({ last: sql<number>`coalesce(max(${agreementTerms.seq}), 0)::int` })
				.from(agreementTerms)
				.where(eq(agreementTerms.agreementId, agreement.id));
			const [term] = await tx
				.insert(agreementTerms)
				.values({ agreementId: agreement.id, seq: last + 1, ...values })
				.returning({ id: agreementTerms.id });
			return { termId: term.id };
		},
		{ ip, now }
	);
}
