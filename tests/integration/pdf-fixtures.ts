import { eq } from 'drizzle-orm';
import { createDraft } from '../../src/lib/server/agreements/create-draft';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { saveTerm } from '../../src/lib/server/agreements/save-term';
import { demoSealPng } from '../../src/lib/server/documents/seal-image';
import { signAgreement } from '../../src/lib/server/agreements/sign-agreement';
import { signByInvitation } from '../../src/lib/server/agreements/sign-by-invitation';
import { updateDraftText } from '../../src/lib/server/agreements/update-draft-text';
import { uploadSeal } from '../../src/lib/server/agreements/upload-seal';
import { verifySigningCode } from '../../src/lib/server/agreements/verify-signing-code';
import { shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { caseParties } from '../../src/lib/server/db/schema';
import { codeFor, invite, pngDataUrl } from './agreement-fixtures';
import type { PanelWorld } from './panel-fixtures';

/**
 * Drafts, fills and freezes the case's agreement, then has it signed through the signing use cases:
 * the applicant (the demo party's account) on the agreement page, the respondent (no account) through
 * a signing link and a one-time code, the mediator last, with the committee's seal: effective today.
 */
export async function effectiveAgreement(
	w: PanelWorld,
	caseId: number,
	extraTerms: { what: string; amount: string; how: string; dueOn: string }[] = []
): Promise<{ agreementId: number; hash: string; termIds: number[]; respondentToken: string }> {
	const { mediator } = w.viewers;
	const now = new Date();
	await uploadSeal(w.t.db, w.viewers.admin, { placeId: w.placeIds['城南村'], bytes: demoSealPng() }, { now });
	const { agreementId } = await createDraft(w.t.db, mediator, { caseId });
	const parties = await w.t.db.select().from(caseParties).where(eq(caseParties.caseId, caseId)).orderBy(caseParties.side);
	const applicant = parties.find((p) => p.side === 'applicant')!;
	const respondent = parties.find((p) => p.side === 'respondent')!;
	await updateDraftText(w.t.db, mediator, caseId, {
		facts: '双方宅基地相邻，李某新建围墙，孙大伯认为围墙越界三十厘米。',
		issues: '围墙是否越界；越界部分如何处理。',
		otherTerms: '双方今后互不追究。',
		responsibility: { [applicant.id]: '修建前未与邻居确认边界。', [respondent.id]: '围墙越过宅基地证所载边界。' }
	});
	const termIds: number[] = [];
	const today = shanghaiDate(now);
	for (const term of [
		{ obligorPartyId: String(respondent.id), what: '将围墙后移三十厘米', amount: '', how: '自行拆除重建', dueOn: today },
		{ obligorPartyId: String(applicant.id), what: '补偿李某拆墙费用', amount: '1200.50', how: '现金当面支付', dueOn: '' },
		...extraTerms.map((t) => ({ obligorPartyId: String(respondent.id), ...t }))
	]) {
		termIds.push((await saveTerm(w.t.db, mediator, caseId, term)).termId);
	}
	const { hash } = await freezeAgreement(w.t.db, mediator, caseId);
	const sign = (typedName: string) => ({ decision: 'sign', hash, mark: 'drawn', typedName, signature: pngDataUrl() });
	await signAgreement(w.t.db, w.viewers.party, caseId, { partyId: String(applicant.id), ...sign(applicant.name) });
	const token = await invite(w, respondent.id, now);
	const { grant } = await verifySigningCode(w.t.db, token, await codeFor(w, token, '127.0.0.1', now), '127.0.0.1');
	await signByInvitation(w.t.db, token, grant, sign(respondent.name), '127.0.0.1');
	const { effective } = await signAgreement(w.t.db, mediator, caseId, sign(mediator.name));
	if (!effective) throw new Error('the agreement did not take effect');
	return { agreementId, hash, termIds, respondentToken: token };
}
