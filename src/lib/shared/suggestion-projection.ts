/**
 * What a document says once one person's suggestions are taken back. Two documents that read the same
 * once `author`'s suggestions are reverted differ only by `author` suggesting (or withdrawing their own
 * suggestions): this is the test the collaboration server applies to a read-only peer's update
 * (server/collab/suggestion-guard.ts), and the editor applies to a party's keystroke before sending it
 * (collab/suggest-mode.ts), so an honest party never sends what the server would drop.
 *
 * Reverting is the library's own `revertSuggestion` (the same code that made the suggestion), so a
 * split paragraph (two zero-width insertions) joins again, marked deletions are unmarked, and inserted
 * text goes. Shared by server and browser; the browser loads it only with suggestion mode.
 */
import { revertSuggestion } from '@handlewithcare/prosemirror-suggest-changes';
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import { isSuggestionMark, suggestionAuthor } from './suggestion-id';

export interface SuggestionMarkInfo {
	id: string | number;
	kind: 'insertion' | 'deletion' | 'modification';
}

/** Every suggestion mark in a document (text marks and node marks), once per id and kind. */
export function suggestionMarks(doc: PMNode): SuggestionMarkInfo[] {
	const seen = new Map<string, SuggestionMarkInfo>();
	const visit = (node: PMNode) => {
		for (const mark of node.marks) {
			const kind = mark.type.name;
			if (!isSuggestionMark(kind)) continue;
			const id = mark.attrs.id as string | number;
			seen.set(`${kind}\u0000${String(id)}`, { id, kind });
		}
	};
	doc.descendants((node) => {
		visit(node);
		return true;
	});
	return [...seen.values()];
}

/** The document with every suggestion of `authorId` reverted (theirs alone: others' stay as they are). */
export function withoutSuggestionsOf(doc: PMNode, authorId: number): PMNode {
	let state = EditorState.create({ doc });
	const ids = new Set(suggestionMarks(doc).flatMap((m) => (suggestionAuthor(m.id)?.id === authorId ? [m.id] : [])));
	for (const id of ids) revertSuggestion(id)(state, (tr) => (state = state.apply(tr)));
	return state.doc;
}

/**
 * Whether `after` differs from `before` only by `author`'s own suggestions: the same document once
 * theirs are reverted, every suggestion mark `after` adds is an insertion or deletion under their id
 * and name (never a formatting change, never another person's name), and nobody else's is gone.
 */
export function onlySuggests(before: PMNode, after: PMNode, author: { id: number; name: string }): boolean {
	const had = new Set(suggestionMarks(before).map((m) => `${m.kind}\u0000${String(m.id)}`));
	for (const m of suggestionMarks(after)) {
		if (had.has(`${m.kind}\u0000${String(m.id)}`)) continue;
		const by = suggestionAuthor(m.id);
		if (m.kind === 'modification' || by?.id !== author.id || by.name !== author.name) return false;
	}
	return withoutSuggestionsOf(before, author.id).eq(withoutSuggestionsOf(after, author.id));
}
