import { asc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { getAgreement } from '../../src/lib/server/agreements/get-agreement';
import { getSignatureImage } from '../../src/lib/server/agreements/get-images';
import { loadSigningView } from '../../src/lib/server/agreements/load-signing-view';
import { signAgreement } from '../../src/lib/server/agreements/sign-agreement';
import { signByInvitation } from '../../src/lib/server/agreements/sign-by-invitation';
import { unfreezeAgreement } from '../../src/lib/server/agreements/unfreeze-agreement';
import { updateDraftText } from '../../src/lib/server/agreements/update-draft-text';
import { verifySigningCode } from '../../src/lib/server/agreements/verify-signing-code';
import { listSmsOutbox } from '../../src/lib/server/sms/list-sms-outbox';
import { retryMinutes } from '../../src/lib/server/auth/rate-limit';
import { agreementSignatures, auditLog, caseParties, signingCodes } from '../../src/lib/server/db/schema';
import { outcome } from './casework-fixtures';
import { codeFor, draftAgreement, invite, pngDataUrl } from './agreement-fixtures';
import { setUpPanelWorld, type PanelWorld } from './panel-fixtures';

let w: PanelWorld;
const now = new Date('2026-03-10T02:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
let hash: string;
let respondentToken: string;
let applicantToken: string;

beforeAll(async () => {
	w = await setUpPanelWorld();
	// The applicant signs with their account (the demo party); the respondent has none and signs by link.
	await w.t.db.update(caseParties).set({ userId: null }).where(eq(caseParties.id, w.partyIds.respondent));
	await draftAgreement(w, now);
	({ hash } = await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now }));
	respondentToken = await invite(w, w.partyIds.respondent, now);
	applicantToken = await invite(w, w.partyIds.applicant, now);
}, 180_000);
afterAll(() => w.t.destroy());

const sign = (patch: Record<string, unknown> = {}) => ({ decision: 'sign', hash, mark: 'drawn', typedName: '李某', signature: pngDataUrl(), ...patch });
const audit = async (action: string) => w.t.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id));

describe('one-time codes', () => {
	it('shows nothing of the agreement before a code is verified, and a bad link is not found', async () => {
		const view = await loadSigningView(w.t.db, respondentToken, undefined, { now });
		expect(view).toMatchObject({ partyName: '李某', verified: false, text: null, hash: null, phoneTail: '0022', codeSent: false });
		expect(await outcome(loadSigningView(w.t.db, 'a'.repeat(24), undefined, { now }))).toBe('not_found');
		expect(await outcome(loadSigningView(w.t.db, '../../etc', undefined, { now }))).toBe('not_found');
	});

	it('refuses a wrong code, then accepts the right one once, and refuses it when reused', async () => {
		const code = await codeFor(w, respondentToken, '10.1.0.1', now);
		expect((await audit('agreement.code_sent')).length).toBe(1);
		// The development outbox holds the code: only an administrator reads it. The mediator of the case
		// may not (they could sign in the party's name), nor may the party's account.
		expect((await listSmsOutbox(w.t.db, w.viewers.admin, {}, { enabled: true })).messages.some((m) => m.body.includes(code))).toBe(true);
		expect(await outcome(listSmsOutbox(w.t.db, w.viewers.mediator, {}, { enabled: true }))).toBe('forbidden');
		expect(await outcome(listSmsOutbox(w.t.db, w.viewers.party, {}, { enabled: true }))).toBe('forbidden');
		const wrong = code === '000000' ? '000001' : '000000';
		expect(await outcome(verifySigningCode(w.t.db, respondentToken, wrong, '10.1.0.1', { now }))).toEqual({ code: 'err_sign_code_wrong' });
		const { grant } = await verifySigningCode(w.t.db, respondentToken, code, '10.1.0.1', { now: later(1) });
		expect(await outcome(verifySigningCode(w.t.db, respondentToken, code, '10.1.0.1', { now: later(2) }))).toEqual({ code: 'err_sign_code_used' });
		const view = await loadSigningView(w.t.db, respondentToken, grant, { now: later(2) });
		expect(view).toMatchObject({ verified: true, hash });
		expect(view.text).toContain('拆除越界围墙');
		// The grant belongs to this link: with the applicant's link it opens nothing.
		expect((await loadSigningView(w.t.db, applicantToken, grant, { now: later(2) })).verified).toBe(false);
		expect(await outcome(signByInvitation(w.t.db, applicantToken, grant, sign({ typedName: '孙大伯' }), '10.1.0.1', { now: later(2) }))).toBe('forbidden');
	});

	it('refuses an expired code', async () => {
		const code = await codeFor(w, applicantToken, '10.1.0.2', now);
		expect(await outcome(verifySigningCode(w.t.db, applicantToken, code, '10.1.0.2', { now: later(11) }))).toEqual({ code: 'err_sign_code_expired' });
	});

	it('refuses an older code once a newer one was sent', async () => {
		const first = await codeFor(w, applicantToken, '10.1.0.3', now);
		const second = await codeFor(w, applicantToken, '10.1.0.3', later(1));
		if (first !== second) expect(await outcome(verifySigningCode(w.t.db, applicantToken, first, '10.1.0.3', { now: later(2) }))).toEqual({ code: 'err_sign_code_wrong' });
		await verifySigningCode(w.t.db, applicantToken, second, '10.1.0.3', { now: later(2) });
	});

	it('rate-limits guessing: after five wrong codes even the right one is refused', async () => {
		const token = await invite(w, w.partyIds.applicant, now);
		const code = await codeFor(w, token, '10.1.0.4', now);
		const wrong = code === '111111' ? '222222' : '111111';
		for (let i = 0; i < 5; i++) expect(await outcome(verifySigningCode(w.t.db, token, wrong, '10.1.0.4', { now }))).toEqual({ code: 'err_sign_code_wrong' });
		const limited = await verifySigningCode(w.t.db, token, code, '10.1.0.4', { now }).catch((e) => e);
		expect(limited).toMatchObject({ code: 'rate_limited', fields: { code: 'sec_sign_code_limited' } });
		expect(retryMinutes(limited)).toBe(15);
		const [used] = await w.t.db.select({ usedAt: signingCodes.usedAt }).from(signingCodes).where(isNull(signingCodes.usedAt)).limit(1);
		expect(used.usedAt).toBeNull();
		expect((await audit('agreement.code_failed')).some((r) => (r.data as { reason: string }).reason === 'rate_limited')).toBe(true);
	});

	it('counts parallel guesses before comparing them: at most five are tried', async () => {
		const token = await invite(w, w.partyIds.applicant, now);
		const code = await codeFor(w, token, '10.1.0.6', now);
		const wrong = code === '333333' ? '444444' : '333333';
		const results = await Promise.all(Array.from({ length: 20 }, () => outcome(verifySigningCode(w.t.db, token, wrong, '10.1.0.6', { now }))));
		expect(results.filter((r) => JSON.stringify(r) === JSON.stringify({ code: 'err_sign_code_wrong' }))).toHaveLength(5);
		expect(results.filter((r) => r === 'rate_limited')).toHaveLength(15);
	});

	it('limits how often codes are sent', async () => {
		const token = await invite(w, w.partyIds.respondent, now);
		for (let i = 0; i < 3; i++) await codeFor(w, token, '10.1.0.5', now);
		expect(await outcome(codeFor(w, token, '10.1.0.5', now))).toBe('rate_limited');
		respondentToken = token;
	});
});

/**
 * A fresh link, code and grant for the respondent (each test proves its signer anew; a new link also
 * starts a new send budget, which these tests would otherwise use up).
 */
async function grantFor(ip: string): Promise<string> {
	respondentToken = await invite(w, w.partyIds.respondent, now);
	const code = await codeFor(w, respondentToken, ip, now);
	return (await verifySigningCode(w.t.db, respondentToken, code, ip, { now })).grant;
}

describe('signing', () => {
	it('refuses bad signatures: none, blank, not a PNG, too large, a name that is not the party’s', async () => {
		const grant = await grantFor('10.2.0.1');
		const tries: [Record<string, unknown>, Record<string, string>][] = [
			[{ signature: '' }, { signature: 'err_sig_missing' }],
			[{ signature: pngDataUrl({ ink: false }) }, { signature: 'err_sig_blank' }],
			[{ signature: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' }, { signature: 'err_sig_missing' }],
			[{ signature: 'data:image/png;base64,' + Buffer.from('GIF89a not a png').toString('base64') }, { signature: 'err_sig_not_png' }],
			[{ signature: 'data:image/png;base64,' + Buffer.from('\x89PNG\r\n\x1a\nbroken').toString('base64') }, { signature: 'err_sig_not_png' }],
			[{ signature: pngDataUrl({ width: 400, height: 200, noise: true }) }, { signature: 'err_sig_too_large' }],
			[{ typedName: '王五' }, { typedName: 'err_sign_name_mismatch' }],
			[{ typedName: '' }, { typedName: 'err_sign_name_required' }],
			[{ decision: 'refuse', reason: ' ' }, { reason: 'err_sign_reason_required' }]
		];
		for (const [patch, fields] of tries) expect(await outcome(signByInvitation(w.t.db, respondentToken, grant, sign(patch), '10.2.0.1', { now }))).toEqual({ code: 'invalid', ...fields });
		expect(await w.t.db.select().from(agreementSignatures)).toEqual([]);
	});

	it('refuses a signature against a stale hash with 409 and the message to read again', async () => {
		const grant = await grantFor('10.2.0.2');
		expect(await outcome(signByInvitation(w.t.db, respondentToken, grant, sign({ hash: 'f'.repeat(64) }), '10.2.0.2', { now }))).toEqual({ code: 'conflict', _: 'err_sign_stale_hash' });
		expect(await outcome(signByInvitation(w.t.db, respondentToken, undefined, sign(), '10.2.0.2', { now }))).toBe('forbidden');
	});

	it('denies people outside the case and signing for another party', async () => {
		expect(await outcome(signAgreement(w.t.db, w.viewers['qiujin.villager'], w.caseId, sign({ partyId: w.partyIds.applicant }), { now }))).toBe('not_found');
		expect(await outcome(signAgreement(w.t.db, w.viewers.party, w.caseId, sign({ partyId: w.partyIds.respondent }), { now }))).toBe('forbidden');
		expect(await outcome(signAgreement(w.t.db, w.viewers.party, w.caseId, sign({ partyId: '' , typedName: w.viewers.party.name }), { now }))).toBe('forbidden');
		expect(await outcome(signAgreement(w.t.db, w.viewers.mediator, w.caseId, sign({ typedName: w.viewers.mediator.name }), { now }))).toEqual({ code: 'conflict', _: 'err_sign_mediator_last' });
	});

	it('unfreezing voids every signature (kept, marked void) and a signature on the old hash is then refused', async () => {
		const grant = await grantFor('10.2.0.3');
		await signByInvitation(w.t.db, respondentToken, grant, sign(), '10.2.0.3', { now });
		expect(await outcome(signByInvitation(w.t.db, respondentToken, grant, sign(), '10.2.0.3', { now }))).toBe('forbidden');
		await unfreezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { reason: '修改拆除期限' }, { now });
		const sigs = await w.t.db.select().from(agreementSignatures);
		expect(sigs).toHaveLength(1);
		expect(sigs[0]).toMatchObject({ voidReason: '修改拆除期限', hash });
		expect(sigs[0].voidedAt).not.toBeNull();
		const [unfreeze] = await audit('agreement.unfreeze');
		expect(unfreeze.data).toMatchObject({ hash, voidedSignatures: [sigs[0].id] });
		// The page shows it, void.
		const { agreement } = await getAgreement(w.t.db, w.viewers.party, w.caseId);
		expect(agreement!.signatures.map((s) => [s.id, s.voidedAt !== null])).toEqual([[sigs[0].id, true]]);

		await updateDraftText(w.t.db, w.viewers.mediator, w.caseId, { facts: '李某砌墙越界 0.3 米。', issues: '围墙位置。', otherTerms: '互不追究。' }, { now });
		const oldHash = hash;
		({ hash } = await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now }));
		expect(hash).not.toBe(oldHash);
		const again = await grantFor('10.2.0.4');
		expect(await outcome(signByInvitation(w.t.db, respondentToken, again, sign({ hash: oldHash }), '10.2.0.4', { now }))).toEqual({ code: 'conflict', _: 'err_sign_stale_hash' });
	});

	it('takes effect when both parties and then the mediator have signed, with the seal and the date', async () => {
		const grant = await grantFor('10.2.0.5');
		await signByInvitation(w.t.db, respondentToken, grant, sign({ mark: 'thumbprint' }), '10.2.0.5', { now });
		await signAgreement(w.t.db, w.viewers.party, w.caseId, sign({ partyId: w.partyIds.applicant, typedName: '孙 大伯' }), { now });
		expect(await outcome(signAgreement(w.t.db, w.viewers.party, w.caseId, sign({ partyId: w.partyIds.applicant, typedName: '孙大伯' }), { now }))).toEqual({
			code: 'conflict',
			_: 'err_sign_already'
		});
		// A term due before the day it would take effect stops it.
		expect(await outcome(signAgreement(w.t.db, w.viewers.mediator, w.caseId, sign({ typedName: w.viewers.mediator.name }), { now: new Date('2026-04-02T02:00:00Z') }))).toEqual({
			code: 'conflict',
			_: 'err_ag_due_before_effective'
		});
		const result = await signAgreement(w.t.db, w.viewers.mediator, w.caseId, sign({ typedName: w.viewers.mediator.name }), { now: later(30) });
		expect(result.effective).toBe(true);
		const { agreement } = await getAgreement(w.t.db, w.viewers.party, w.caseId);
		expect(agreement).toMatchObject({ status: 'effective', effectiveOn: '2026-03-10', frozenHash: hash, waitingFor: [] });
		expect(agreement!.sealedAt).not.toBeNull();
		const standing = agreement!.signatures.filter((s) => s.voidedAt === null);
		expect(standing.map((s) => [s.role, s.channel, s.mark, s.hash])).toEqual([
			['party', 'invitation', 'thumbprint', hash],
			['party', 'account', 'drawn', hash],
			['mediator', 'account', 'drawn', hash]
		]);
		const png = await getSignatureImage(w.t.db, w.viewers.party, w.caseId, standing[0].id);
		expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
		expect(await outcome(getSignatureImage(w.t.db, w.viewers['qiujin.villager'], w.caseId, standing[0].id))).toBe('not_found');
		expect((await audit('agreement.sign')).length).toBe(4);
		expect((await audit('agreement.effective'))[0].data).toMatchObject({ hash, effectiveOn: '2026-03-10' });
		// Effective is final: no unfreeze, no more signatures, no new links.
		expect(await outcome(unfreezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { reason: '再改' }, { now }))).toEqual({ code: 'conflict', _: 'err_ag_not_frozen' });
	});
});
