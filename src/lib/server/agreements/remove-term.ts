import { and, eq, gt, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { agreementTerms } from '../db/schema';
import { AppError } from '../errors';
import { editDraft, type EditDraftOptions } from './edit-draft';

/** Removes a term from the draft; the terms after it move up one number, so there is no gap. */
export async function removeTerm(db: Db, actor: Viewer, input: { caseId: unknown; termId: unknown }, options: EditDraftOptions = {}): Promise<{ termId: number }> {
	const termId = Number(input.termId);
	if (!Number.isSafeInteger(termId) || termId <= 0) throw new AppError('not_found');
	return editDraft(
		db,
		actor,
		input.caseId,
		'term_remove',
		async (tx, agreement) => {
			const [removed] = await tx
				.delete(agreementTerms)
				.where(and(eq(agreementTerms.id, termId), eq(agreementTerms.agreementId, agreement.id)))
				.returning({ seq: agreementTerms.seq });
			if (!removed) throw new AppError('not_found');
			await tx
				.update(agreementTerms)
				.set({ seq: sql`${agreementTerms.seq} - 1` })
				.where(and(eq(agreementTerms.agreementId, agreement.id), gt(agreementTerms.seq, removed.seq)));
			return { termId };
		},
		options
	);
}
