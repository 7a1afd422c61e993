import { applySuggestion, revertSuggestion } from '@handlewithcare/prosemirror-suggest-changes';
import { splitBlock } from 'prosemirror-commands';
import { EditorState, type Transaction } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkSuggestion, partySuggester } from '../../src/lib/server/collab/suggestion-guard';
import { suggestionAuthor } from '../../src/lib/shared/suggestion-id';
import { caret, recordSchema, SuggestingClient } from '../support/suggesting-client';

const party = { id: 7, name: '张𠮷' };
const mediator = { id: 3, name: '李调解' };

/** A record as the mediator wrote it, and a party's editor on it. */
function setup() {
	const server = new Y.Doc();
	const writer = new SuggestingClient(server);
	const p = recordSchema.node('paragraph', null, [recordSchema.text('甲方同意赔偿五千元。')]);
	Y.applyUpdate(server, writer.write(recordSchema.node('doc', null, [recordSchema.node('heading', { level: 2 }, [recordSchema.text('调解笔录')]), p]))!);
	return { server, writer, client: new SuggestingClient(server) };
}

const insert = (text: string, at: (c: SuggestingClient) => number) => (c: SuggestingClient) => (s: EditorState) => s.tr.insertText(text, at(c));
const run = (command: (s: EditorState, d: (tr: Transaction) => void) => boolean) => (s: EditorState) => {
	let out: Transaction | null = null;
	command(s, (tr) => (out = tr));
	if (!out) throw new Error('command did nothing');
	return out;
};

describe('checkSuggestion (the wire rule)', () => {
	it('passes a party inserting text as their own suggestion, and it is stored with their name', () => {
		const { server, client } = setup();
		const update = client.edit(insert('（分两期）', (c) => c.after('五千元'))(client), party)!;
		expect(checkSuggestion(server, update, party)).toEqual({ ok: true });
		Y.applyUpdate(server, update);
		const text = server.getXmlFragment('default').toString();
		expect(text).toContain('（分两期）');
		const marks = new SuggestingClient(server).pm.textContent;
		expect(marks).toContain('（分两期）');
	});

	it('drops the same words typed as a plain edit', () => {
		const { server, client } = setup();
		const update = client.edit(insert('（分两期）', (c) => c.after('五千元'))(client))!;
		expect(checkSuggestion(server, update, party).ok).toBe(false);
	});

	it('drops a plain deletion, passes a suggested one', () => {
		const { server, client } = setup();
		const end = client.after('甲方');
		const del = (s: EditorState) => s.tr.delete(end - 2, end);
		expect(checkSuggestion(server, client.edit(del)!, party).ok).toBe(false);
		const fresh = new SuggestingClient(server);
		expect(checkSuggestion(server, fresh.edit(del, party)!, party)).toEqual({ ok: true });
	});

	it('passes a new paragraph (Enter) suggested by a party', () => {
		const { server, client } = setup();
		const update = client.edit((s) => run(splitBlock)(s.apply(caret(s, client.after('赔偿')))), party)!;
		expect(checkSuggestion(server, update, party)).toEqual({ ok: true });
		Y.applyUpdate(server, update);
		expect(server.getXmlFragment('default').length).toBe(3);
	});

	it("drops a suggestion filed under someone else's id or another name", () => {
		const { server, client } = setup();
		const asMediator = client.edit(insert('某', (c) => c.after('甲方'))(client), mediator, false)!;
		expect(checkSuggestion(server, asMediator, party).ok).toBe(false);
		const forged = new SuggestingClient(server).edit(insert('某', (c) => c.after('甲方'))(client), { id: party.id, name: '调解员' }, false)!;
		expect(checkSuggestion(server, forged, party).ok).toBe(false);
	});

	it("drops a party accepting or rejecting the mediator's suggestion, passes withdrawing their own", () => {
		const { server, writer } = setup();
		Y.applyUpdate(server, writer.edit(insert('全部', (c) => c.after('赔偿'))(writer), mediator, false)!);
		const ids = collectIds(new SuggestingClient(server));
		expect(ids.map((i) => suggestionAuthor(i)?.id)).toEqual([mediator.id]);
		expect(String(ids[0])).toContain(mediator.name);
		const accept = new SuggestingClient(server).edit(run(applySuggestion(ids[0])))!;
		expect(checkSuggestion(server, accept, party).ok).toBe(false);
		const reject = new SuggestingClient(server).edit(run(revertSuggestion(ids[0])))!;
		expect(checkSuggestion(server, reject, party).ok).toBe(false);
		// The party's own, then taken back.
		const c = new SuggestingClient(server);
		const own = c.edit(insert('（分两期）', (x) => x.after('五千元'))(c), party)!;
		Y.applyUpdate(server, own);
		const c2 = new SuggestingClient(server);
		const ownId = collectIds(c2).find((i) => suggestionAuthor(i)?.id === party.id)!;
		expect(checkSuggestion(server, c2.edit(run(revertSuggestion(ownId)))!, party)).toEqual({ ok: true });
		// Accepting their own is still an edit, and dropped.
		expect(checkSuggestion(server, new SuggestingClient(server).edit(run(applySuggestion(ownId)))!, party).ok).toBe(false);
	});

	it('drops anything outside the text: the meta map, a new root', () => {
		const { server } = setup();
		const c = new SuggestingClient(server);
		const updates: Uint8Array[] = [];
		c.doc.on('update', (u: Uint8Array) => updates.push(u));
		c.doc.getMap('meta').set('initialised', false);
		expect(checkSuggestion(server, updates[0], party).ok).toBe(false);
		c.doc.getArray('other').push([1]);
		expect(checkSuggestion(server, updates[1], party).ok).toBe(false);
	});

	it('the editor itself refuses what the server would drop (a party deleting the mediator\u2019s proposed words)', () => {
		const { server, writer } = setup();
		Y.applyUpdate(server, writer.edit(insert('全部', (c) => c.after('赔偿'))(writer), mediator, false)!);
		const c = new SuggestingClient(server);
		const from = c.after('赔偿');
		expect(c.edit((s) => s.tr.delete(from, from + 2), party)).toBeNull();
	});
});

describe('partySuggester', () => {
	it('lets an attested party suggest as themselves, nobody else', () => {
		expect(partySuggester({ canSuggest: true, identity: { id: 7, name: '张𠮷', color: '#000', role: 'party' } })).toEqual(party);
		expect(partySuggester({ canSuggest: true, identity: { id: 9, name: '王', color: '#000', role: 'observer' } })).toBeNull();
		expect(partySuggester({ canSuggest: true, identity: null })).toBeNull();
	});

	it('lets nobody suggest where the document is final (a frozen agreement: canSuggest false)', () => {
		expect(partySuggester({ canSuggest: false, identity: { id: 7, name: '张𠮷', color: '#000', role: 'party' } })).toBeNull();
	});
});

function collectIds(c: SuggestingClient): (string | number)[] {
	const ids = new Set<string | number>();
	c.pm.descendants((n) => {
		for (const m of n.marks) if (m.type.name === 'insertion' || m.type.name === 'deletion') ids.add(m.attrs.id as string);
		return true;
	});
	return [...ids];
}
