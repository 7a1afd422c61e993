import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalText, textHash } from '../../src/lib/server/agreements/canonical-text';
import { createDraft } from '../../src/lib/server/agreements/create-draft';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { getAgreement } from '../../src/lib/server/agreements/get-agreement';
import { removeTerm } from '../../src/lib/server/agreements/remove-term';
import { saveTerm } from '../../src/lib/server/agreements/save-term';
import { unfreezeAgreement } from '../../src/lib/server/agreements/unfreeze-agreement';
import { updateDraftText } from '../../src/lib/server/agreements/update-draft-text';
import { agreementTerms, agreements, auditLog } from '../../src/lib/server/db/schema';
import { outcome } from './casework-fixtures';
import { seatPanelist, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

let w: PanelWorld;
// A fixed "now" keeps due-date checks independent of the day the test runs: 2026-03-10 10:00 in Shanghai.
const now = new Date('2026-03-10T02:00:00Z');
beforeAll(async () => {
	w = await setUpPanelWorld();
	await seatPanelist(w, now);
}, 180_000);
afterAll(() => w.t.destroy());

const term = (patch: Record<string, unknown> = {}) => ({
	obligorPartyId: String(w.partyIds.respondent),
	what: '拆除越界围墙',
	amount: '1200.5',
	how: '现金当面交付',
	dueOn: '2026-04-01',
	...patch
});
const auditActions = async () => (await w.t.db.select({ action: auditLog.action }).from(auditLog)).map((r) => r.action);

describe('the draft agreement', () => {
	it('is refused to people outside the case, and to those who may only read it', async () => {
		expect(await outcome(createDraft(w.t.db, w.viewers['qiujin.villager'], { caseId: w.caseId }))).toBe('not_found');
		expect(await outcome(createDraft(w.t.db, w.viewers.party, { caseId: w.caseId }))).toBe('forbidden');
		expect(await outcome(createDraft(w.t.db, w.viewers.panelist, { caseId: w.caseId }))).toBe('forbidden');
		expect(await outcome(getAgreement(w.t.db, w.viewers['qiujin.villager'], w.caseId))).toBe('not_found');
	});

	it('starts from the case: its facts and one responsibility line per party; one per case', async () => {
		await createDraft(w.t.db, w.viewers.mediator, { caseId: w.caseId }, { ip: '10.0.0.1', now });
		const { agreement, access } = await getAgreement(w.t.db, w.viewers.mediator, w.caseId);
		expect(access).toMatchObject({ edit: true, run: true });
		expect(agreement).toMatchObject({ status: 'draft', revision: 0, facts: '孙大伯与邻居因宅基地边界的围墙发生争执。', committeeName: '城南村人民调解委员会' });
		expect(agreement!.parties.map((p) => p.id).sort()).toEqual([w.partyIds.applicant, w.partyIds.respondent].sort());
		expect(agreement!.parties.find((p) => p.side === 'applicant')!.idNumberMasked).toBe('1101**********002X');
		expect(await outcome(createDraft(w.t.db, w.viewers.mediator, { caseId: w.caseId }))).toEqual({ code: 'conflict', _: 'err_ag_exists' });
		expect(await auditActions()).toContain('agreement.create');
	});

	it('lets the mediator and a no-conflict panel member edit; the party reads only', async () => {
		const text = { facts: '李某砌墙越界约 0.3 米。', issues: '围墙位置。', otherTerms: '双方今后互不追究。', responsibility: { [w.partyIds.respondent]: '李某负主要责任。' } };
		expect(await outcome(updateDraftText(w.t.db, w.viewers.panelist, w.caseId, text, { now }))).toBe('ok');
		expect(await outcome(updateDraftText(w.t.db, w.viewers.party, w.caseId, { ...text, facts: '改' }, { now }))).toBe('forbidden');
		expect(await outcome(saveTerm(w.t.db, w.viewers.party, w.caseId, term(), { now }))).toBe('forbidden');
		const { agreement, access } = await getAgreement(w.t.db, w.viewers.party, w.caseId);
		expect(access).toMatchObject({ edit: false, run: false, ownPartyIds: [w.partyIds.applicant, w.partyIds.respondent] });
		expect(agreement!.facts).toBe('李某砌墙越界约 0.3 米。');
		expect(agreement!.parties.find((p) => p.id === w.partyIds.respondent)!.responsibility).toBe('李某负主要责任。');
		expect(await outcome(updateDraftText(w.t.db, w.viewers.mediator, w.caseId, { ...text, responsibility: { '999999': 'x' } }, { now }))).toEqual({
			code: 'invalid',
			responsibility: 'err_ag_party_unknown'
		});
	});

	it('validates terms: an empty term, a negative or malformed amount, a past due date, a stranger as obligor', async () => {
		const save = (patch: Record<string, unknown>) => outcome(saveTerm(w.t.db, w.viewers.mediator, w.caseId, term(patch), { now }));
		expect(await save({ what: '   ' })).toEqual({ code: 'invalid', what: 'err_ag_term_what_required' });
		expect(await save({ amount: '-5' })).toEqual({ code: 'invalid', amount: 'err_ag_amount_negative' });
		expect(await save({ amount: '1.005' })).toEqual({ code: 'invalid', amount: 'err_ag_amount_invalid' });
		expect(await save({ amount: '一百' })).toEqual({ code: 'invalid', amount: 'err_ag_amount_invalid' });
		expect(await save({ dueOn: '2026-03-09' })).toEqual({ code: 'invalid', dueOn: 'err_ag_due_past' });
		expect(await save({ dueOn: '2026-02-30' })).toEqual({ code: 'invalid', dueOn: 'err_ag_due_invalid' });
		expect(await save({ obligorPartyId: '999999' })).toEqual({ code: 'invalid', obligorPartyId: 'err_ag_obligor_invalid' });
		const [{ id }] = await w.t.db.select({ id: agreements.id }).from(agreements).where(eq(agreements.caseId, w.caseId));
		expect(await w.t.db.select().from(agreementTerms).where(eq(agreementTerms.agreementId, id))).toEqual([]);
	});

	it('stores terms in fen, numbered, updated in place and renumbered on removal', async () => {
		const a = await saveTerm(w.t.db, w.viewers.mediator, w.caseId, term({ amount: '１,２００.５' }), { now });
		const b = await saveTerm(w.t.db, w.viewers.mediator, w.caseId, term({ what: '赔偿损失', amount: '0', dueOn: '2026-03-10' }), { now });
		const c = await saveTerm(w.t.db, w.viewers.mediator, w.caseId, term({ what: '轮流用水', obligorPartyId: 'all', amount: '', dueOn: '' }), { now });
		await saveTerm(w.t.db, w.viewers.mediator, w.caseId, { ...term({ what: '赔偿损失 300 元', amount: '300' }), termId: b.termId }, { now });
		let { agreement } = await getAgreement(w.t.db, w.viewers.mediator, w.caseId);
		expect(agreement!.terms.map((t) => [t.id, t.seq, t.amountFen, t.obligorPartyId, t.dueOn])).toEqual([
			[a.termId, 1, 120050, w.partyIds.respondent, '2026-04-01'],
			[b.termId, 2, 30000, w.partyIds.respondent, '2026-04-01'],
			[c.termId, 3, null, null, null]
		]);
		await removeTerm(w.t.db, w.viewers.mediator, { caseId: w.caseId, termId: a.termId }, { now });
		({ agreement } = await getAgreement(w.t.db, w.viewers.mediator, w.caseId));
		expect(agreement!.terms.map((t) => [t.id, t.seq])).toEqual([
			[b.termId, 1],
			[c.termId, 2]
		]);
	});

	it('freezes into the stored canonical text and its hash; editing is then refused', async () => {
		expect(await outcome(freezeAgreement(w.t.db, w.viewers.panelist, w.caseId, { now }))).toBe('forbidden');
		const { hash, revision } = await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { ip: '10.0.0.1', now });
		expect(revision).toBe(1);
		const { agreement } = await getAgreement(w.t.db, w.viewers.party, w.caseId);
		expect(agreement).toMatchObject({ status: 'frozen', frozenHash: hash });
		expect(textHash(agreement!.frozenText!)).toBe(hash);
		expect(agreement!.frozenText).toBe(canonicalText({ ...agreement!, committeeName: '城南村人民调解委员会', revision: 1 }));
		expect(agreement!.frozenText).toContain('金额：300.00元');
		const [row] = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'agreement.freeze'));
		expect(row.data).toMatchObject({ hash, revision: 1 });

		const edits = [
			() => updateDraftText(w.t.db, w.viewers.mediator, w.caseId, { facts: '改过的事实' }, { now }),
			() => saveTerm(w.t.db, w.viewers.mediator, w.caseId, term(), { now }),
			() => removeTerm(w.t.db, w.viewers.mediator, { caseId: w.caseId, termId: agreement!.terms[0].id }, { now }),
			() => freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now })
		];
		// One at a time: each edit is started only when awaited, so none rejects unobserved.
		for (const e of edits) expect(await outcome(e())).toEqual({ code: 'conflict', _: 'err_ag_not_draft' });
		expect((await getAgreement(w.t.db, w.viewers.mediator, w.caseId)).agreement!.frozenHash).toBe(hash);
	});

	it('unfreezes only for the mediator, with a reason, back to an editable draft', async () => {
		expect(await outcome(unfreezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { reason: '  ' }, { now }))).toEqual({
			code: 'invalid',
			reason: 'err_ag_unfreeze_reason_required'
		});
		expect(await outcome(unfreezeAgreement(w.t.db, w.viewers.party, w.caseId, { reason: '改' }, { now }))).toBe('forbidden');
		await unfreezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { reason: '当事人要求修改赔偿金额' }, { now });
		expect(await outcome(updateDraftText(w.t.db, w.viewers.mediator, w.caseId, { facts: '改过的事实' }, { now }))).toBe('ok');
		const { hash, revision } = await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now });
		expect(revision).toBe(2);
		const [first] = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'agreement.freeze')).orderBy(asc(auditLog.id)).limit(1);
		expect(hash).not.toBe((first.data as { hash: string }).hash);
		expect(await auditActions()).toEqual(expect.arrayContaining(['agreement.edit', 'agreement.unfreeze']));
	});

	it('refuses to freeze a term due before the day it could take effect', async () => {
		await unfreezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { reason: '再改' }, { now });
		const later = new Date('2026-04-02T02:00:00Z');
		expect(await outcome(freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now: later }))).toEqual({
			code: 'conflict',
			_: 'err_ag_due_before_effective',
			term: '1'
		});
	});
});
