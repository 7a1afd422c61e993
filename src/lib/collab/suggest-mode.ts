/**
 * The on-demand half of suggestion mode (issue 15 §2), loaded by SuggestionHook.svelte with a dynamic
 * import: turning typing into suggestions with `@handlewithcare/prosemirror-suggest-changes`, and
 * accepting or rejecting them.
 */
import { applySuggestion, revertSuggestion, transformToSuggestionTransaction } from '@handlewithcare/prosemirror-suggest-changes';
import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { AddMarkStep, ReplaceStep } from '@tiptap/pm/transform';
import { suggestionAuthor, suggestionId, type SuggestionAuthor } from '../shared/suggestion-id';
import { onlySuggests } from '../shared/suggestion-projection';
import type { SuggestionStorage } from './suggestion-marks';

const storage = (editor: Editor) => (editor.storage as unknown as { suggestChanges: SuggestionStorage }).suggestChanges;

/**
 * Suggestion mode on: each local edit becomes a suggestion under `author`. With `strict` (a party, who
 * may not edit) an edit that would be more than a suggestion (deleting someone else's proposed text,
 * say) is dropped here, by the very test the server applies, so nothing is sent that the server drops.
 */
export function startSuggesting(editor: Editor, author: SuggestionAuthor, strict: boolean): void {
	storage(editor).transform = (tr: Transaction, state: EditorState) => suggestTransaction(tr, state, author, strict);
}

/** A local edit as `author`'s suggestion; null when `strict` and it would be more than one. */
export function suggestTransaction(tr: Transaction, state: EditorState, author: SuggestionAuthor, strict: boolean): Transaction | null {
	const tracked = transformToSuggestionTransaction(tr, state, () => suggestionId(author));
	claimNewMarks(tracked, author);
	if (strict && !onlySuggests(state.doc, tracked.doc, author)) return null;
	return tracked;
}

export function stopSuggesting(editor: Editor): void {
	storage(editor).transform = null;
}

/**
 * The library gives new text the id of a suggestion right beside it, so that typing on extends one
 * suggestion. Beside someone else's suggestion that would file this author's words under the other
 * person's name (and the server refuses a party's update that does): the marks this transaction made
 * are given this author's own id instead. Written here because the library has no option for it.
 */
function claimNewMarks(tr: Transaction, author: SuggestionAuthor): void {
	const ranges: [number, number][] = [];
	tr.steps.forEach((step, i) => {
		const rest = tr.mapping.slice(i + 1);
		if (step instanceof ReplaceStep) ranges.push([rest.map(step.from, -1), rest.map(step.from + step.slice.size, 1)]);
		else if (step instanceof AddMarkStep) ranges.push([rest.map(step.from, -1), rest.map(step.to, 1)]);
	});
	const own = suggestionId(author);
	const fixes: { from: number; to: number; type: PMNode['marks'][number]['type'] }[] = [];
	for (const [from, to] of ranges) {
		tr.doc.nodesBetween(from, to, (node, pos) => {
			if (!node.isText) return true;
			for (const mark of node.marks) {
				if (mark.type.name !== 'insertion' && mark.type.name !== 'deletion') continue;
				if (suggestionAuthor(mark.attrs.id)?.id === author.id) continue;
				fixes.push({ from: Math.max(pos, from), to: Math.min(pos + node.nodeSize, to), type: mark.type });
			}
			return false;
		});
	}
	for (const f of fixes) {
		tr.removeMark(f.from, f.to, f.type);
		tr.addMark(f.from, f.to, f.type.create({ id: own }));
	}
}

export interface SuggestionItem {
	id: string | number;
	author: SuggestionAuthor | null;
	inserted: string;
	deleted: string;
}

/** The open suggestions in document order, one per id, with the words each adds and takes away. */
export function listSuggestions(doc: PMNode): SuggestionItem[] {
	const items = new Map<string, SuggestionItem>();
	doc.descendants((node) => {
		for (const mark of node.marks) {
			if (mark.type.name !== 'insertion' && mark.type.name !== 'deletion') continue;
			const id = mark.attrs.id as string | number;
			const key = String(id);
			const item = items.get(key) ?? { id, author: suggestionAuthor(id), inserted: '', deleted: '' };
			items.set(key, item);
			const text = (node.text ?? '').replace(/\u200B/g, '');
			if (mark.type.name === 'insertion') item.inserted += text;
			else item.deleted += text;
		}
		return true;
	});
	return [...items.values()];
}

/** Accepts (or rejects) the suggestions with these ids. */
export function settleSuggestions(editor: Editor, ids: (string | number)[], accept: boolean): void {
	for (const id of ids) (accept ? applySuggestion(id) : revertSuggestion(id))(editor.state, editor.view.dispatch);
}
