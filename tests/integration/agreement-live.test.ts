/**
 * The agreement's free text co-edited live (issue 5, point 3): the mediator and a panel member type
 * into the same draft through the real collaboration server and real y-websocket clients; a party
 * only reads it (their edits are dropped); someone outside the case is refused; freezing hashes the
 * text the editors typed, read from the stored document.
 */
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGREEMENT_FIELDS, appendFieldText, fieldText, responsibilityField } from '../../src/lib/shared/agreement-schema';
import { seedAgreementDocument } from '../../src/lib/server/agreements/agreement-document';
import { textHash } from '../../src/lib/server/agreements/canonical-text';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { unfreezeAgreement } from '../../src/lib/server/agreements/unfreeze-agreement';
import { updateDraftText } from '../../src/lib/server/agreements/update-draft-text';
import { createSession } from '../../src/lib/server/auth/session';
import { CLOSE } from '../../src/lib/server/collab/connection';
import { appPolicies, documentAccess } from '../../src/lib/server/start-collab';
import { agreementParties, agreements } from '../../src/lib/server/db/schema';
import { logger } from '../../src/lib/server/logger';
import { agreementDocName } from '../../src/lib/server/mediation/document-access';
import { connectClient, rawSocket, startCollab, until, type Harness, type TestClient } from '../support/collab-harness';
import { draftAgreement } from './agreement-fixtures';
import { seatPanelist, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

let w: PanelWorld;
let h: Harness;
let docName = '';
const events: string[] = [];
const tokens: Record<string, string> = {};
const clients: TestClient[] = [];
const now = new Date();

beforeAll(async () => {
	w = await setUpPanelWorld();
	await seatPanelist(w, now);
	await draftAgreement(w, now);
	for (const who of ['mediator', 'panelist', 'party', 'qiujin.villager'] as const) tokens[who] = (await createSession(w.t.db, w.viewers[who].id)).token;
	docName = agreementDocName(w.caseId);
	h = await startCollab(w.t.db, appPolicies(logger), {}, events);
}, 180_000);
afterEach(() => {
	while (clients.length) clients.pop()!.destroy();
});
afterAll(async () => {
	await h?.close();
	await w.t.destroy();
});

const join = async (who: string) => {
	const c = connectClient(h, docName, tokens[who]);
	clients.push(c);
	await until(() => c.provider.synced, `${who} joined`);
	return c;
};
const columns = async () => {
	const [a] = await w.t.db.select().from(agreements).where(eq(agreements.caseId, w.caseId));
	return a;
};
const seedTexts = async () => {
	const a = await columns();
	const resp = await w.t.db.select().from(agreementParties).where(eq(agreementParties.agreementId, a.id));
	return { facts: a.facts, issues: a.issues, otherTerms: a.otherTerms, responsibility: Object.fromEntries(resp.map((r) => [r.partyId, r.responsibility])) };
};

describe('the agreement draft, co-edited live', () => {
	it('gives edit rights to the mediator and the panel, reading to the party, nothing outside the case', async () => {
		expect(await documentAccess(w.t.db, w.viewers.mediator, docName)).toBe('write');
		expect(await documentAccess(w.t.db, w.viewers.panelist, docName)).toBe('write');
		expect(await documentAccess(w.t.db, w.viewers.party, docName)).toBe('read');
		expect(await documentAccess(w.t.db, w.viewers['qiujin.villager'], docName)).toBeNull();
		// A case without an agreement has no such document.
		expect(await documentAccess(w.t.db, w.viewers.mediator, agreementDocName(w.caseId + 1000))).toBeNull();
		const raw = rawSocket(h, docName, tokens['qiujin.villager']);
		await until(() => raw.closed() !== null, 'refusal');
		expect(raw.closed()!.code).toBe(CLOSE.forbidden);
		// What arrived before the close is the refusal only: no document content.
		expect(raw.frames.every((f) => f[0] !== 0)).toBe(true);
	});

	it('starts from the stored draft, once, even when two pages seed it at the same time', async () => {
		const texts = await seedTexts();
		await Promise.all([seedAgreementDocument(w.t.db, w.caseId, texts, h.collab), seedAgreementDocument(w.t.db, w.caseId, texts, h.collab)]);
		const m = await join('mediator');
		expect(fieldText(m.doc, 'facts')).toBe('李某砌墙越界。');
		expect(fieldText(m.doc, 'otherTerms')).toBe('互不追究。');
	});

	it('converges two editors, drops a party’s edit, and freezes exactly the typed text', async () => {
		const m = await join('mediator');
		const p = await join('panelist');
		const party = await join('party');
		expect(fieldText(party.doc, 'facts')).toBe('李某砌墙越界。');

		appendFieldText(m.doc, 'facts', '经现场丈量，围墙越界约三十厘米。');
		appendFieldText(p.doc, 'issues', '是否应当拆除。');
		appendFieldText(p.doc, responsibilityField(w.partyIds.respondent), '被申请人负主要责任。');
		const same = () => AGREEMENT_FIELDS.every((f) => fieldText(m.doc, f) === fieldText(p.doc, f) && fieldText(m.doc, f) === fieldText(party.doc, f));
		await until(() => same() && fieldText(m.doc, 'issues').includes('是否应当拆除') && fieldText(p.doc, 'facts').includes('三十厘米'), 'convergence');

		const dropped = events.filter((e) => e === 'read_only_update_dropped').length;
		appendFieldText(party.doc, 'otherTerms', '当事人擅自加的话。');
		await until(() => events.filter((e) => e === 'read_only_update_dropped').length > dropped, 'party edit dropped');
		await until(() => m.isSaved() && p.isSaved(), 'editors saved');

		let panelistClosed = 0;
		p.provider.on('closed', ({ code }) => (panelistClosed = code));
		const { hash } = await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now, collab: h.collab });
		const a = await columns();
		expect(a.facts).toBe('李某砌墙越界。\n经现场丈量，围墙越界约三十厘米。');
		expect(a.issues).toBe('围墙位置。\n是否应当拆除。');
		expect(a.otherTerms).toBe('互不追究。');
		expect(a.frozenText).toContain('经现场丈量，围墙越界约三十厘米。');
		expect(a.frozenText).toContain('被申请人负主要责任。');
		expect(a.frozenText).not.toContain('擅自');
		expect(hash).toBe(textHash(a.frozenText!));

		// Frozen: the editors only view now (every connection is ended at once), and what they
		// see is what was hashed.
		await until(() => panelistClosed === CLOSE.forbidden, 'the panelist’s write access ended');
		expect(await documentAccess(w.t.db, w.viewers.mediator, docName)).toBe('view');
		expect(await documentAccess(w.t.db, w.viewers.panelist, docName)).toBe('view');
		const after = await join('mediator');
		const droppedBefore = events.filter((e) => e === 'read_only_update_dropped').length;
		appendFieldText(after.doc, 'facts', '冻结后的修改。');
		await until(() => events.filter((e) => e === 'read_only_update_dropped').length > droppedBefore, 'edit after freeze dropped');
		const fresh = await join('panelist');
		expect(fieldText(fresh.doc, 'facts')).toBe(a.facts);

		await unfreezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { reason: '补充事实' }, { now, collab: h.collab });
		expect(await documentAccess(w.t.db, w.viewers.panelist, docName)).toBe('write');
		// The freeze ended the party's connection too (no suggesting on a frozen text): they come back.
		const partyAgain = await join('party');

		// The draft's form, when used, changes the live text too, so the next freeze keeps what it saved.
		await updateDraftText(w.t.db, w.viewers.mediator, w.caseId, { facts: '表单保存的事实。', issues: a.issues, otherTerms: a.otherTerms }, { now, collab: h.collab });
		await until(() => fieldText(partyAgain.doc, 'facts') === '表单保存的事实。', 'form text reaches the live document');
		await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now, collab: h.collab });
		expect((await columns()).frozenText).toContain('表单保存的事实。');
	});
});
