import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { agreements } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../mediation/panel/mediation-case';
import { loadAgreementCase, loadAgreementRow } from './agreement-case';
import { loadCanonicalAgreement } from './agreement-content';
import { canonicalize } from './canonical-text';
import { freezeProblem, requireStatus, todayOf } from './rules';

/**
 * Freezes the draft for signing: renders the canonical text (NFC, fixed order and formats), stores it
 * with its SHA-256 and a new revision number, and fixes the committee (the place handling the case
 * now). From here the text shown to signers is the stored one, not a re-rendering, so what was signed
 * is exactly what was hashed. The hash goes on the public timeline so every party sees it.
 */
export async function freezeAgreement(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	ip?: string,
	now = new Date()
): Promise<{ hash: string; revision: number }> {
	const { row } = await loadAgreementCase(db, actor, caseId, 'run');
	return db.transaction(async (tx) => {
		const agreement = await loadAgreementRow(tx, row.id, true);
		requireStatus(agreement.status, 'draft', 'err_ag_not_draft');
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
		return { hash, revision };
	});
}
