/**
 * Reading which way settled suggestions went (server/collab/suggestion-book.ts), without a server: the
 * binding's own writes (SuggestingClient), applied to a document the way the server holds it (roots
 * never asked for by type).
 */
import { applySuggestion, revertSuggestion } from '@handlewithcare/prosemirror-suggest-changes';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SuggestionBook, touchOf } from '../../src/lib/server/collab/suggestion-book';
import { SuggestingClient } from '../support/suggesting-client';

const party = { id: 7, name: '张𠮷' };

/** A document as the server loads it: from an update, so its roots are bare types. */
function serverDoc(text: string): Y.Doc {
	const source = new Y.Doc();
	source.getMap('responsibility').set('甲', 60);
	const c = new SuggestingClient(source, 'facts');
	Y.applyUpdate(source, c.edit((s) => s.tr.replaceWith(0, s.doc.content.size, s.schema.node('paragraph', null, s.schema.text(text))))!);
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
	return doc;
}

function suggest(doc: Y.Doc, anchor: string, words: string): string {
	const c = new SuggestingClient(doc, 'facts');
	Y.applyUpdate(doc, c.edit((s) => s.tr.insertText(words, c.after(anchor)), party)!);
	const ids: string[] = [];
	new SuggestingClient(doc, 'facts').pm.descendants((n) => {
		for (const m of n.marks) if (m.type.name === 'insertion' && !ids.includes(String(m.attrs.id))) ids.push(String(m.attrs.id));
		return true;
	});
	return ids.at(-1)!;
}

describe('SuggestionBook', () => {
	it('reads a mixed settlement in one update, and leaves a map root a map', () => {
		const doc = serverDoc('李某砌墙越界。');
		const a = suggest(doc, '砌墙', '（约半米）');
		const b = suggest(doc, '越界', '擅自');
		const book = new SuggestionBook(doc);
		expect(book.hasOpen).toBe(true);
		const c = new SuggestingClient(doc, 'facts');
		const update = c.edit((s) => {
			let state = s;
			applySuggestion(a)(state, (tr) => (state = state.apply(tr)));
			revertSuggestion(b)(state, (tr) => (state = state.apply(tr)));
			return s.tr.replaceWith(0, s.doc.content.size, state.doc.content);
		})!;
		const before = book.before(touchOf(update));
		expect(before).not.toBeNull();
		Y.applyUpdate(doc, update);
		const settled = book.settledBy(before!, 3);
		expect(settled.map((s) => [s.suggestionId, s.outcome, s.text])).toEqual([
			[a, 'accepted', '（约半米）'],
			[b, 'rejected', '擅自']
		]);
		expect(book.hasOpen).toBe(false);
		expect(doc.getMap('responsibility').get('甲')).toBe(60);
	});

	it('looks at nothing for plain typing, and calls it withdrawn when the author rejects their own', () => {
		const doc = serverDoc('李某砌墙越界。');
		const book = new SuggestionBook(doc);
		const typing = new SuggestingClient(doc, 'facts');
		expect(book.before(touchOf(typing.edit((s) => s.tr.insertText('甲', 1))!))).toBeNull();
		const id = suggest(doc, '越界', '擅自');
		book.applied(Y.encodeStateAsUpdate(doc));
		expect(book.hasOpen).toBe(true);
		const c = new SuggestingClient(doc, 'facts');
		const update = c.edit((s) => {
			let out = s.tr;
			revertSuggestion(id)(s, (tr) => (out = tr));
			return out;
		})!;
		const before = book.before(touchOf(update))!;
		Y.applyUpdate(doc, update);
		expect(book.settledBy(before, party.id)).toMatchObject([{ suggestionId: id, authorId: party.id, actorId: party.id, outcome: 'withdrawn' }]);
	});
});
