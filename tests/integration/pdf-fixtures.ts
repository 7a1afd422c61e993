import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { createDraft } from '../../src/lib/server/agreements/create-draft';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { saveTerm } from '../../src/lib/server/agreements/save-term';
import { updateDraftText } from '../../src/lib/server/agreements/update-draft-text';
import { shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { agreements, agreementSignatures, caseParties, committeeSeals } from '../../src/lib/server/db/schema';
import type { PanelWorld } from './panel-fixtures';

/** A small PNG: a dark stroke on a transparent ground, like a drawn signature. */
export function strokePng(seed = 0): Uint8Array {
	const png = new PNG({ width: 160, height: 60 });
	for (let y = 0; y < 60; y++) for (let x = 0; x < 160; x++) if (Math.abs(y - 30 - Math.round(12 * Math.sin((x + seed) / 12))) < 3) png.data.set([20, 20, 60, 255], (y * 160 + x) * 4);
	return new Uint8Array(PNG.sync.write(png));
}

/**
 * Drafts, fills and freezes the case's agreement through the agreement use cases, then records both
 * parties' and the mediator's signatures with the committee's seal, making it effective today.
 * The signatures are written as rows here because the signing use cases are not on main yet.
 */
export async function effectiveAgreement(w: PanelWorld, caseId: number): Promise<{ agreementId: number; hash: string; termIds: number[] }> {
	const { mediator } = w.viewers;
	const { agreementId } = await createDraft(w.t.db, mediator, caseId);
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
	const today = shanghaiDate(new Date());
	for (const term of [
		{ obligorPartyId: String(respondent.id), what: '将围墙后移三十厘米', amount: '', how: '自行拆除重建', dueOn: today },
		{ obligorPartyId: String(applicant.id), what: '补偿李某拆墙费用', amount: '1200.50', how: '现金当面支付', dueOn: '' }
	]) {
		termIds.push((await saveTerm(w.t.db, mediator, caseId, term)).termId);
	}
	const { hash, revision } = await freezeAgreement(w.t.db, mediator, caseId);
	const [agreement] = await w.t.db.select().from(agreements).where(eq(agreements.id, agreementId));
	await w.t.db.insert(committeeSeals).values({ placeId: agreement.committeePlaceId!, image: strokePng(99), imageSha256: 'x'.repeat(64), uploadedAt: new Date() }).onConflictDoNothing();
	const now = new Date();
	const signature = (image: Uint8Array) => ({ agreementId, revision, hash, mark: 'drawn' as const, image, imageSha256: encodeHexLowerCase(sha256(image)), signedAt: now });
	await w.t.db.insert(agreementSignatures).values([
		{ ...signature(strokePng(1)), role: 'party', partyId: applicant.id, userId: applicant.userId, channel: 'account', typedName: applicant.name },
		{ ...signature(strokePng(2)), role: 'party', partyId: respondent.id, userId: null, channel: 'invitation', typedName: respondent.name },
		{ ...signature(strokePng(3)), role: 'mediator', partyId: null, userId: mediator.id, channel: 'account', typedName: mediator.name }
	]);
	await w.t.db.update(agreements).set({ status: 'effective', sealedAt: now, effectiveAt: now, effectiveOn: today }).where(eq(agreements.id, agreementId));
	return { agreementId, hash, termIds };
}
