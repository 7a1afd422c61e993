import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { agreementParties, agreements, caseParties } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { editDraft } from './edit-draft';
import { draftTextInput, type DraftTextInput } from './rules';

/**
 * Saves the draft's free-text parts (main facts, disputed issues, other agreed matters) and each
 * party's responsibility (人民调解法 art. 29). Responsibilities are keyed by the case party's id; a key
 * that is not a party of this case is refused rather than ignored.
 */
export async function updateDraftText(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: DraftTextInput | Record<string, unknown>,
	ip?: string,
	now = new Date()
): Promise<{ termId?: number }> {
	const input = parseInput(draftTextInput, raw);
	return editDraft(
		db,
		actor,
		caseId,
		'text',
		async (tx, agreement) => {
			const ids = Object.keys(input.responsibility).map(Number);
			if (ids.length > 0) {
				const known = await tx
					.select({ id: caseParties.id })
					.from(caseParties)
					.where(and(eq(caseParties.caseId, agreement.caseId), inArray(caseParties.id, ids)));
				if (known.length !== ids.length) throw new AppError('invalid', { responsibility: 'err_ag_party_unknown' });
				await tx
					.insert(agreementParties)
					.values(ids.map((partyId) => ({ agreementId: agreement.id, partyId, responsibility: input.responsibility[String(partyId)] })))
					.onConflictDoUpdate({ target: [agreementParties.agreementId, agreementParties.partyId], set: { responsibility: sql`excluded.responsibility` } });
			}
			await tx.update(agreements).set({ facts: input.facts, issues: input.issues, otherTerms: input.otherTerms }).where(eq(agreements.id, agreement.id));
			return {};
		},
		ip,
		now
	);
}
