import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { signAgreement } from '../../src/lib/server/agreements/sign-agreement';
import { signByInvitation } from '../../src/lib/server/agreements/sign-by-invitation';
import { verifySigningCode } from '../../src/lib/server/agreements/verify-signing-code';
import { agreementSignatures, caseParties } from '../../src/lib/server/db/schema';
import { outcome } from './casework-fixtures';
import { codeFor, draftAgreement, invite, pngDataUrl } from './agreement-fixtures';
import { setUpPanelWorld, type PanelWorld } from './panel-fixtures';

/**
 * The name under a signature confirms an identity the code already proved: dotted, spaced and
 * undotted spellings of 阿卜杜拉·买买提 are one person, 𠮷田春 may tap "我是 𠮷田春", a thumbprint
 * needs no name. Each signature keeps its evidence: address, browser, how the signer was
 * authenticated (account, or link + code to the phone ending in …) and how the name was confirmed.
 */
let w: PanelWorld;
const now = new Date('2026-03-10T02:00:00Z');
let hash: string;
const UA = 'Mozilla/5.0 (Linux; Android 13; HUAWEI) Chrome/120 Mobile';

beforeAll(async () => {
	w = await setUpPanelWorld();
	await w.t.db.update(caseParties).set({ userId: null, name: '阿卜杜拉·买买提' }).where(eq(caseParties.id, w.partyIds.respondent));
	await w.t.db.update(caseParties).set({ name: '𠮷田春' }).where(eq(caseParties.id, w.partyIds.applicant));
	await draftAgreement(w, now);
	({ hash } = await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now }));
}, 180_000);
afterAll(() => w.t.destroy());

const sign = (patch: Record<string, unknown> = {}) => ({ decision: 'sign', hash, mark: 'drawn', signature: pngDataUrl(), ...patch });

async function linkGrant(ip: string): Promise<{ token: string; grant: string }> {
	const token = await invite(w, w.partyIds.respondent, now);
	const code = await codeFor(w, token, ip, now);
	return { token, grant: (await verifySigningCode(w.t.db, token, code, ip, { now })).grant };
}

describe('the name under a signature', () => {
	it('takes 阿卜杜拉•买买提 and 阿卜杜拉买买提 for 阿卜杜拉·买买提, and still refuses another name', async () => {
		const { token, grant } = await linkGrant('10.3.0.1');
		expect(await outcome(signByInvitation(w.t.db, token, grant, sign({ typedName: '阿卜杜拉' }), '10.3.0.1', { now }))).toEqual({ code: 'invalid', typedName: 'err_sign_name_mismatch' });
		expect(await outcome(signByInvitation(w.t.db, token, grant, sign({ typedName: '' }), '10.3.0.1', { now }))).toEqual({ code: 'invalid', typedName: 'err_sign_name_required' });
		await signByInvitation(w.t.db, token, grant, sign({ typedName: '阿卜杜拉•买买提' }), '10.3.0.1', { userAgent: UA, now });
		const [row] = await w.t.db.select().from(agreementSignatures).where(eq(agreementSignatures.partyId, w.partyIds.respondent));
		// Stored as written, with its evidence.
		expect(row).toMatchObject({ typedName: '阿卜杜拉•买买提', channel: 'invitation', ip: '10.3.0.1', userAgent: UA, phoneTail: '0022', nameConfirmation: 'typed', signedAt: now });
	});

	it('lets 𠮷田春 confirm the name by tapping "我是 𠮷田春", by account, recorded under the name on file', async () => {
		const long = `Mozilla/5.0 ${'x'.repeat(400)}`;
		await signAgreement(w.t.db, w.viewers.party, w.caseId, sign({ partyId: w.partyIds.applicant, confirmName: '1', typedName: '' }), { ip: '10.3.0.2', userAgent: long, now });
		const [row] = await w.t.db.select().from(agreementSignatures).where(eq(agreementSignatures.partyId, w.partyIds.applicant));
		expect(row).toMatchObject({ typedName: '𠮷田春', channel: 'account', phoneTail: null, nameConfirmation: 'tapped' });
		expect(row.userAgent).toHaveLength(300);
	});
});

describe('a thumbprint', () => {
	it('needs no typed name from a person on file, but a drawn signature does, and the mediator always types', async () => {
		await w.t.db.delete(agreementSignatures).where(eq(agreementSignatures.partyId, w.partyIds.respondent));
		const { token, grant } = await linkGrant('10.3.0.3');
		expect(await outcome(signByInvitation(w.t.db, token, grant, sign({ mark: 'drawn' }), '10.3.0.3', { now }))).toEqual({ code: 'invalid', typedName: 'err_sign_name_required' });
		await signByInvitation(w.t.db, token, grant, sign({ mark: 'thumbprint' }), '10.3.0.3', { userAgent: UA, now });
		const [row] = await w.t.db.select().from(agreementSignatures).where(eq(agreementSignatures.partyId, w.partyIds.respondent));
		expect(row).toMatchObject({ mark: 'thumbprint', typedName: '阿卜杜拉·买买提', nameConfirmation: 'mark_only', phoneTail: '0022' });
		// The mediator has no name on file to confirm: tapping or a bare thumbprint is not enough.
		const later = new Date(now.getTime() + 60_000);
		expect(await outcome(signAgreement(w.t.db, w.viewers.mediator, w.caseId, sign({ mark: 'thumbprint' }), { now: later }))).toEqual({ code: 'invalid', typedName: 'err_sign_name_required' });
		expect(await outcome(signAgreement(w.t.db, w.viewers.mediator, w.caseId, sign({ confirmName: '1' }), { now: later }))).toEqual({ code: 'invalid', typedName: 'err_sign_name_required' });
	});
});
