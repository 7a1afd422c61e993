/**
 * Suggestion mode on the wire (issue 15 §2), through the real collaboration server and real y-websocket
 * clients on the agreement draft: a party's suggestion (made by the browser's own suggestion code) is
 * applied and reaches the mediator with the party's name; the party's plain edit, and the party
 * accepting a suggestion, are still dropped; an observer may not suggest at all; freezing is refused
 * while a suggestion is open and goes through once the mediator accepted it; once frozen, a party's
 * suggestion is dropped, also from a connection that was open at the freeze.
 */
import { applySuggestion, revertSuggestion } from '@handlewithcare/prosemirror-suggest-changes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readAgreementDocument, seedAgreementDocument } from '../../src/lib/server/agreements/agreement-document';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { unfreezeAgreement } from '../../src/lib/server/agreements/unfreeze-agreement';
import { createSession } from '../../src/lib/server/auth/session';
import { appPolicies } from '../../src/lib/server/start-collab';
import { AppError } from '../../src/lib/server/errors';
import { logger } from '../../src/lib/server/logger';
import { agreementDocName } from '../../src/lib/server/mediation/document-access';
import { countOpenSuggestions, suggestionAuthor } from '../../src/lib/shared/suggestion-id';
import { fieldText } from '../../src/lib/shared/agreement-schema';
import { connectClient, startCollab, until, type Harness, type TestClient } from '../support/collab-harness';
import { SuggestingClient } from '../support/suggesting-client';
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
	for (const who of ['mediator', 'party'] as const) tokens[who] = (await createSession(w.t.db, w.viewers[who].id)).token;
	docName = agreementDocName(w.caseId);
	h = await startCollab(w.t.db, appPolicies(logger), {}, events);
	await seedAgreementDocument(w.t.db, w.caseId, { facts: '李某砌墙越界。', issues: '', otherTerms: '', responsibility: {} }, h.collab);
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
const dropped = () => events.filter((e) => e === 'read_only_update_dropped').length;
const openIn = (doc: Y.Doc) => countOpenSuggestions([doc.getXmlFragment('facts')]);

describe('suggestions from a party, on the wire', () => {
	it('applies a party’s suggestion, drops their plain edit and their accepting, and holds the freeze until accepted', async () => {
		const m = await join('mediator');
		const party = await join('party');
		const author = { id: w.viewers.party.id, name: w.viewers.party.name };

		// A plain edit from the party is dropped, as before.
		const before = dropped();
		const plain = new SuggestingClient(party.doc, 'facts');
		const at = plain.after('砌墙');
		Y.applyUpdate(party.doc, plain.edit((s) => s.tr.insertText('擅自', at))!);
		await until(() => dropped() > before, 'plain edit dropped');
		expect(fieldText(m.doc, 'facts')).toBe('李某砌墙越界。');

		// The same words as the party's suggestion pass and reach the mediator, under the party's name.
		const party2 = await join('party');
		const suggesting = new SuggestingClient(party2.doc, 'facts');
		Y.applyUpdate(party2.doc, suggesting.edit((s) => s.tr.insertText('（约半米）', suggesting.after('越界')), author)!);
		await until(() => fieldText(m.doc, 'facts').includes('（约半米）'), 'suggestion reaches the mediator');
		const seen = new SuggestingClient(m.doc, 'facts');
		const ids = new Set<string | number>();
		seen.pm.descendants((n) => {
			for (const mark of n.marks) if (mark.type.name === 'insertion') ids.add(mark.attrs.id as string);
			return true;
		});
		expect([...ids].map(suggestionAuthor)).toEqual([author]);
		expect(openIn(m.doc)).toBe(1);

		// Freezing waits for it, with the Chinese message's key.
		const refused = await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now, collab: h.collab }).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(AppError);
		expect((refused as AppError).fields._).toBe('err_ag_open_suggestions');

		// The party may not accept it themselves.
		const [id] = [...ids];
		const self = new SuggestingClient(party2.doc, 'facts');
		const droppedBefore = dropped();
		const accept = (c: SuggestingClient) =>
			c.edit((s) => {
				let out = s.tr;
				applySuggestion(id)(s, (tr) => (out = tr));
				return out;
			})!;
		Y.applyUpdate(party2.doc, accept(self));
		await until(() => dropped() > droppedBefore, 'party accepting dropped');
		expect(openIn(m.doc)).toBe(1);

		// The mediator accepts it; the freeze goes through with the words in.
		Y.applyUpdate(m.doc, accept(new SuggestingClient(m.doc, 'facts')));
		expect(openIn(m.doc)).toBe(0);
		// The acceptance is written under the mediator's editor's own client id; wait until the server holds it.
		let stored = await readAgreementDocument(w.t.db, w.caseId, [], h.collab);
		for (let i = 0; i < 100 && stored?.openSuggestions !== 0; i++) {
			await new Promise((r) => setTimeout(r, 50));
			stored = await readAgreementDocument(w.t.db, w.caseId, [], h.collab);
		}
		expect(stored?.facts).toBe('李某砌墙越界（约半米）。');
		expect(stored?.openSuggestions).toBe(0);
		await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now, collab: h.collab });
		expect(fieldText(m.doc, 'facts')).toBe('李某砌墙越界（约半米）。');
	});

	it('drops a party’s suggestion once the agreement is frozen, also from a connection open at the freeze', async () => {
		// The first test left it frozen: open it again for changes.
		await unfreezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { reason: '当事人要求补充' }, { now, collab: h.collab });
		const author = { id: w.viewers.party.id, name: w.viewers.party.name };
		const m = await join('mediator');
		const party = await join('party');
		let closes = 0;
		party.provider.on('connection-close', () => closes++);
		const suggest = (doc: Y.Doc) => {
			const c = new SuggestingClient(doc, 'facts');
			return c.edit((s) => s.tr.insertText('（双方确认）', c.after('越界')), author)!;
		};

		// While it is a draft, the suggestion passes and reaches the mediator; the mediator rejects it.
		Y.applyUpdate(party.doc, suggest(party.doc));
		await until(() => fieldText(m.doc, 'facts').includes('（双方确认）'), 'suggestion reaches the mediator');
		const [id] = collectIds(new SuggestingClient(m.doc, 'facts'));
		const reject = new SuggestingClient(m.doc, 'facts');
		Y.applyUpdate(
			m.doc,
			reject.edit((s) => {
				let out = s.tr;
				revertSuggestion(id)(s, (tr) => (out = tr));
				return out;
			})!
		);
		expect(fieldText(m.doc, 'facts')).toBe('李某砌墙越界（约半米）。');
		await until(() => openIn(party.doc) === 0 && m.isSaved(), 'rejection stored and seen by the party');

		// Frozen: the party's open connection is closed; connecting again, the same suggestion is dropped.
		await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now, collab: h.collab });
		await until(() => closes > 0, 'party connection closed at the freeze');
		const again = await join('party');
		await until(() => fieldText(again.doc, 'facts') === '李某砌墙越界（约半米）。', 'frozen text seen');
		const before = dropped();
		Y.applyUpdate(again.doc, suggest(again.doc));
		await until(() => dropped() > before, 'suggestion on the frozen agreement dropped');
		const stored = await h.collab.document(docName).read();
		expect(fieldText(stored, 'facts')).toBe('李某砌墙越界（约半米）。');
		expect(openIn(stored)).toBe(0);
		stored.destroy();
	});
});

function collectIds(c: SuggestingClient): (string | number)[] {
	const ids = new Set<string | number>();
	c.pm.descendants((n) => {
		for (const mark of n.marks) if (mark.type.name === 'insertion' || mark.type.name === 'deletion') ids.add(mark.attrs.id as string);
		return true;
	});
	return [...ids];
}
