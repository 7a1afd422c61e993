import { asc, eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { CollabServer } from '../collab/api';
import type { Db } from '../db';
import { agreementParties, agreements, caseParties } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { notify } from '../notices/notify';
import { PendingTexts } from '../notices/pending-texts';
import { panelRecipients, partyRecipients } from '../notices/recipients';
import { parseInput } from '../validation';
import { loadAgreementCase, loadAgreementRow } from './agreement-case';
import { loadCanonicalAgreement } from './agreement-content';
import { agreementDocName } from '../collab/doc-name';
import { readAgreementDocument, settleAgreementDocument, type DraftTexts } from './agreement-document';
import { canonicalize } from './canonical-text';
import { draftTextInput, freezeProblem, requireStatus, todayOf } from './rules';

export interface FreezeAgreementOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** The running collaboration server (`event.locals.collab`); null: none (scripts, tests of the rules). */
	collab?: CollabServer | null;
}

/**
 * Freezes the draft for signing: renders the canonical text (NFC, fixed order and formats), stores it
 * with its SHA-256 and a new revision number, and fixes the committee (the place handling the case
 * now). From here the text shown to signers is the stored one, not a re-rendering, so what was signed
 * is exactly what was hashed. The hash goes on the public timeline so every party sees it.
 *
 * The free text is what the mediator and panel typed in the live document (`agreement:<caseId>`),
 * read from its store: it is written to the columns first, then rendered. The editors then lose
 * their write access at once and the document is set to the frozen text, so what everyone sees is
 * what was hashed.
 */
export async function freezeAgreement(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	options: FreezeAgreementOptions = {}
): Promise<{ hash: string; revision: number }> {
	const { ip, now = new Date(), collab = null } = options;
	const { row } = await loadAgreementCase(db, actor, caseId, 'run');
	const partyIds = (await db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, row.id)).orderBy(asc(caseParties.id))).map(
		(p) => p.id
	);
	const typed = await readAgreementDocument(db, row.id, partyIds, collab);
	if (typed && typed.openSuggestions > 0) throw new AppError('conflict', { _: 'err_ag_open_suggestions' });
	const live = typed ? parseInput(draftTextInput, typed) : null;
	const texts = new PendingTexts();
	const result = await db.transaction(async (tx) => {
		const agreement = await loadAgreementRow(tx, row.id, true);
		requireStatus(agreement.status, 'draft', 'err_ag_not_draft');
		if (live) {
			Object.assign(agreement, { facts: live.facts, issues: live.issues, otherTerms: live.otherTerms });
			await tx.update(agreements).set({ facts: live.facts, issues: live.issues, otherTerms: live.otherTerms }).where(eq(agreements.id, agreement.id));
			if (partyIds.length > 0) {
				await tx
					.insert(agreementParties)
					.values(partyIds.map((partyId) => ({ agreementId: agreement.id, partyId, responsibility: live.responsibility[String(partyId)] ?? '' })))
					.onConflictDoUpdate({ target: [agreementParties.agreementId, agreementParties.partyId], set: { responsibility: sql`excluded.responsibility` } });
			}
		}
		const revision = agreement.revision + 1;
		const content = await loadCanonicalAgreement(tx, agreement, { caseNumber: row.number, committeePlaceId: row.placeId, revision });
		if (content.parties.length === 0) throw new AppError('conflict', { _: 'err_ag_no_parties' });
		const problem = freezeProblem({ facts: content.facts, terms: content.terms, otherTerms: content.otherTerms, today: todayOf(now) });
		if (problem) throw new AppError('conflict', { _: problem.message, ...(problem.term ? { term: String(problem.term) } : {}) });
		const { text, hash } = canonicalize(content);
		await tx
			.update(agreements)
			.set({ status: 'frozen', revision, frozenText: text, frozenHash: hash, frozenAt: now, frozenById: actor.id, committeePlaceId: row.placeId, updatedAt: now })
			.where(eq(agreements.id, agreement.id));
		await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'agreement_frozen', data: { agreementId: agreement.id, revision, hash }, public: true }]);
		await recordAudit(tx, { action: 'agreement.freeze', actorId: actor.id, subjectType: 'agreement', subjectId: agreement.id, ip, data: { caseId: row.id, revision, hash } });
		const readers = [...(await panelRecipients(tx, row.id)), ...(await partyRecipients(tx, row.id))];
		await notify(tx, { caseId: row.id, kind: 'agreement_ready', payload: { caseNumber: row.number } }, readers, now, texts);
		return { hash, revision };
	});
	await texts.send(db, now);
	// Everyone reconnects: editors as viewers, and parties too, who may no longer suggest (the document
	// policy reads the frozen status and grants 'view'; collab/suggestion-guard.ts partySuggester).
	collab?.closePeers(agreementDocName(row.id));
	if (live) {
		const frozen: DraftTexts = { ...live, responsibility: Object.fromEntries(partyIds.map((id) => [id, live.responsibility[String(id)] ?? ''])) };
		await settleAgreementDocument(db, row.id, frozen, collab);
	}
	return result;
}
