/**
 * Accepting and rejecting suggestions are in the case's audit trail (issue 15 §2), through the real
 * collaboration server and real y-websocket clients on an agreement draft: the mediator accepting a
 * party's suggestion, rejecting one (also where the binding's string diff deletes the neighbouring
 * character instead of the suggested one), and the party withdrawing their own each leave one
 * `suggestion.settle` row, written with the stored update; plain typing leaves none; the chain holds.
 */
import { applySuggestion, revertSuggestion } from '@handlewithcare/prosemirror-suggest-changes';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seedAgreementDocument } from '../../src/lib/server/agreements/agreement-document';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import { createSession } from '../../src/lib/server/auth/session';
import { auditLog, collabUpdates } from '../../src/lib/server/db/schema';
import { logger } from '../../src/lib/server/logger';
import { agreementDocName } from '../../src/lib/server/mediation/document-access';
import { appPolicies } from '../../src/lib/server/start-collab';
import { fieldText } from '../../src/lib/shared/agreement-schema';
import { countOpenSuggestions } from '../../src/lib/shared/suggestion-id';
import { connectClient, startCollab, until, type Harness, type TestClient } from '../support/collab-harness';
import { SuggestingClient } from '../support/suggesting-client';
import { draftAgreement } from './agreement-fixtures';
import { seatPanelist, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

let w: PanelWorld;
let h: Harness;
let docName = '';
const tokens: Record<string, string> = {};
const clients: TestClient[] = [];
const now = new Date();

beforeAll(async () => {
	w = await setUpPanelWorld();
	await seatPanelist(w, now);
	await draftAgreement(w, now);
	for (const who of ['mediator', 'party'] as const) tokens[who] = (await createSession(w.t.db, w.viewers[who].id)).token;
	docName = agreementDocName(w.caseId);
	h = await startCollab(w.t.db, appPolicies(logger), {}, []);
	await seedAgreementDocument(w.t.db, w.caseId, { facts: '李某砌墙越界。', issues: '', otherTerms: '', responsibility: {} }, h.collab);
}, 180_000);
afterEach(() => {
	while (clients.length) clients.pop()!.destroy();
});
afterAll(async () => {
	await h?.close();
	await w.t.destroy();
});

const join = async (who: 'mediator' | 'party') => {
	const c = connectClient(h, docName, tokens[who]);
	clients.push(c);
	await until(() => c.provider.synced, `${who} joined`);
	return c;
};

type Settle = { docName: string; suggestionId: string; authorId: number | null; kinds: string[]; outcome: string; textSha256: string; chars: number };
async function settleRows(): Promise<{ actorId: number | null; data: Settle }[]> {
	const rows = await w.t.db
		.select({ actorId: auditLog.actorId, data: auditLog.data })
		.from(auditLog)
		.where(and(eq(auditLog.action, 'suggestion.settle'), eq(auditLog.subjectId, docName)))
		.orderBy(auditLog.id);
	return rows as { actorId: number | null; data: Settle }[];
}

/** Polls the database (the row commits with the store's next group commit) until `n` rows are there. */
async function rowsReach(n: number): Promise<{ actorId: number | null; data: Settle }[]> {
	for (let i = 0; i < 200; i++) {
		const rows = await settleRows();
		if (rows.length >= n) return rows;
		await new Promise((r) => setTimeout(r, 25));
	}
	throw new Error(`fewer than ${n} suggestion.settle rows`);
}

/** The party suggests inserting `words` after `anchor`; resolves with the suggestion's id once the mediator sees it. */
async function partySuggests(party: TestClient, m: TestClient, anchor: string, words: string): Promise<string> {
	const author = { id: w.viewers.party.id, name: w.viewers.party.name };
	// The party suggests on the text as the mediator last left it.
	await until(() => fieldText(party.doc, 'facts') === fieldText(m.doc, 'facts'), 'party has the mediator’s text');
	const c = new SuggestingClient(party.doc, 'facts');
	const before = countOpenSuggestions([m.doc.getXmlFragment('facts')]);
	Y.applyUpdate(party.doc, c.edit((s) => s.tr.insertText(words, c.after(anchor)), author)!);
	await until(() => countOpenSuggestions([m.doc.getXmlFragment('facts')]) > before, 'suggestion reaches the mediator');
	const ids = new Set<string>();
	new SuggestingClient(m.doc, 'facts').pm.descendants((n) => {
		for (const mark of n.marks) if (mark.type.name === 'insertion') ids.add(String(mark.attrs.id));
		return true;
	});
	const fresh = [...ids].filter((id) => !seen.has(id));
	fresh.forEach((id) => seen.add(id));
	expect(fresh).toHaveLength(1);
	return fresh[0];
}
const seen = new Set<string>();

function settle(doc: Y.Doc, id: string, how: typeof applySuggestion): void {
	const c = new SuggestingClient(doc, 'facts');
	Y.applyUpdate(
		doc,
		c.edit((s) => {
			let out = s.tr;
			how(id)(s, (tr) => (out = tr));
			return out;
		})!
	);
}

describe('settled suggestions in the audit chain', () => {
	it('records accepting, rejecting and withdrawing, each once, by the person who did it', async () => {
		const m = await join('mediator');
		const party = await join('party');
		const mediatorId = w.viewers.mediator.id;
		const partyId = w.viewers.party.id;

		// Typing plain text while nothing is open writes no row.
		const typing = new SuggestingClient(m.doc, 'facts');
		Y.applyUpdate(m.doc, typing.edit((s) => s.tr.insertText('擅自', typing.after('李某')))!);
		await until(() => fieldText(party.doc, 'facts') === '李某擅自砌墙越界。', 'typing reaches the party');

		// Accepted by the mediator.
		const accepted = await partySuggests(party, m, '越界', '约半米');
		// Typing while a suggestion is open writes no row either.
		const more = new SuggestingClient(m.doc, 'facts');
		Y.applyUpdate(m.doc, more.edit((s) => s.tr.insertText('在', more.after('擅自')))!);
		settle(m.doc, accepted, applySuggestion);
		let rows = await rowsReach(1);
		expect(rows).toHaveLength(1);
		expect(rows[0].actorId).toBe(mediatorId);
		expect(rows[0].data).toMatchObject({ docName, suggestionId: accepted, authorId: partyId, kinds: ['insertion'], outcome: 'accepted', chars: 3 });
		expect(fieldText(m.doc, 'facts')).toBe('李某擅自在砌墙越界约半米。');

		// Rejected, where the words are followed by the same word: the binding's string diff deletes the
		// original "墙" and keeps the suggested one, unmarked. The text says rejected; so does the row.
		const rejected = await partySuggests(party, m, '在砌', '墙');
		expect(fieldText(m.doc, 'facts')).toBe('李某擅自在砌墙墙越界约半米。');
		settle(m.doc, rejected, revertSuggestion);
		expect(fieldText(m.doc, 'facts')).toBe('李某擅自在砌墙越界约半米。');
		rows = await rowsReach(2);
		expect(rows[1].actorId).toBe(mediatorId);
		expect(rows[1].data).toMatchObject({ suggestionId: rejected, authorId: partyId, outcome: 'rejected', chars: 1 });

		// Withdrawn by the party who made it.
		const withdrawn = await partySuggests(party, m, '约半米', '（双方确认）');
		settle(party.doc, withdrawn, revertSuggestion);
		await until(() => countOpenSuggestions([m.doc.getXmlFragment('facts')]) === 0, 'withdrawal reaches the mediator');
		rows = await rowsReach(3);
		expect(rows[2].actorId).toBe(partyId);
		expect(rows[2].data).toMatchObject({ suggestionId: withdrawn, authorId: partyId, outcome: 'withdrawn', chars: 6 });

		// Nothing else was written, each row sits beside a stored update, and the chain verifies.
		await until(() => m.isSaved(), 'mediator saved');
		expect(await settleRows()).toHaveLength(3);
		const stored = await w.t.db.select({ id: collabUpdates.id }).from(collabUpdates).where(eq(collabUpdates.docName, docName));
		expect(stored.length).toBeGreaterThan(0);
		expect(await verifyAuditChain(w.t.db)).toMatchObject({ ok: true });
	});
});
