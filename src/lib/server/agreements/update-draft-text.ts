import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { CollabServer } from '../collab/api';
import type { Db } from '../db';
import { agreementParties, agreements, caseParties } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { followLiveDocument } from './agreement-document';
import { editDraft } from './edit-draft';
import { draftTextInput, type DraftTextInput } from './rules';

export interface UpdateDraftTextOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** The running collaboration server (`event.locals.collab`); null: none (scripts, tests of the rules). */
	collab?: CollabServer | null;
}

/**
 * Saves the draft's free-text parts (main facts, disputed issues, other agreed matters) and each
 * party's responsibility (人民调解法 art. 29). Responsibilities are keyed by the case party's id; a key
 * that is not a party of this case is refused rather than ignored. When the draft is already being
 * edited live, its document is set to the same text, so freezing (which reads the document) keeps it.
 */
export async function updateDraftText(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: DraftTextInput | Record<string, unknown>,
	options: UpdateDraftTextOptions = {}
): Promise<{ termId?: number }> {
	const { ip, now = new Date(), collab = null } = options;
	const input = parseInput(draftTextInput, raw);
	let agreementCaseId = 0;
	const result = await editDraft(
		db,
		actor,
		caseId,
		'text',
		async (tx, agreement) => {
			agreementCaseId = agreement.caseId;
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
		{ ip, now }
	);
	await followLiveDocument(db, agreementCaseId, { ...input, responsibility: Object.fromEntries(Object.entries(input.responsibility).map(([id, text]) => [Number(id), text])) }, collab);
	return result;
}
