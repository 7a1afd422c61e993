import { Extension, Mark } from '@tiptap/core';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { m } from '$lib/paraglide/messages';
import { suggestionAuthor } from '../shared/suggestion-id';
import { userColor } from '../shared/user-color';

/**
 * The always-loaded half of suggestion mode (issue 15 §2): the three marks of
 * `@handlewithcare/prosemirror-suggest-changes` (same names and attributes, so its commands work on
 * them), drawn with the author's name and colour, and a hook on the editor's dispatch. These must be in
 * every editor's schema from the start: the Yjs binding deletes text whose marks its schema lacks, so an
 * editor without them would erase everyone's suggestions. The library and the controls (suggest-mode.ts,
 * SuggestionControls.svelte) load only when someone suggests or there is a suggestion to review, which
 * keeps the live record's page within its JS budget.
 */

/** Turns a local transaction into its suggestion, or null to drop it (suggest-mode.ts sets this). */
export type SuggestTransform = (tr: Transaction, state: EditorState) => Transaction | null;

export interface SuggestionStorage {
	/** Set while suggestion mode is on. */
	transform: SuggestTransform | null;
}

function suggestionMark(name: 'insertion' | 'deletion', tag: 'ins' | 'del', label: (name: string) => string) {
	return Mark.create({
		name,
		inclusive: false,
		excludes: 'insertion modification deletion',
		addAttributes: () => ({ id: { default: null, parseHTML: (el) => parseId(el.getAttribute('data-id')), renderHTML: () => ({}) } }),
		parseHTML: () => [{ tag: `${tag}[data-id]` }],
		renderHTML: ({ mark }) => {
			const author = suggestionAuthor(mark.attrs.id);
			return [
				tag,
				{
					'data-id': JSON.stringify(mark.attrs.id),
					'data-author': author?.name ?? '',
					class: 'suggestion',
					title: author ? label(author.name) : '',
					style: author ? `--suggestion-color: ${userColor(author.id)}` : ''
				},
				0
			];
		}
	});
}

function parseId(raw: string | null): string | number | null {
	try {
		return raw === null ? null : (JSON.parse(raw) as string | number);
	} catch {
		return null;
	}
}

export const Insertion = suggestionMark('insertion', 'ins', (name) => m.sg_inserted_by({ name }));
export const Deletion = suggestionMark('deletion', 'del', (name) => m.sg_deleted_by({ name }));

/** Formatting changes suggested (the library's third mark); this app offers none, but reads them. */
export const Modification = Mark.create({
	name: 'modification',
	inclusive: false,
	excludes: 'deletion insertion',
	addAttributes: () => ({ id: { default: null }, type: { default: null }, attrName: { default: null }, previousValue: { default: null }, newValue: { default: null } }),
	renderHTML: () => ['span', { 'data-type': 'modification' }, 0]
});

/** Whether a transaction came from the shared document (someone else's edit, or an undo) rather than typing. */
const fromYjs = (tr: Transaction) => Boolean((tr.getMeta('y-sync$') as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin);

/** The meta key of the library's plugin key (its commands set `{ skip: true }` under it). */
const LIBRARY_META = '@handlewithcare/prosemirror-suggest-changes$';

export const SuggestChanges = Extension.create<{ suggestOnly: boolean }, SuggestionStorage>({
	name: 'suggestChanges',
	addOptions: () => ({ suggestOnly: false }),
	addStorage: () => ({ transform: null }),
	addExtensions: () => [Insertion, Deletion, Modification],
	dispatchTransaction({ transaction, next }) {
		const transform = this.storage.transform;
		if (!transaction.docChanged || fromYjs(transaction)) return next(transaction);
		// Accepting or rejecting (the library marks those to be left as they are) is an editor's plain edit.
		if (!this.options.suggestOnly && transaction.getMeta(LIBRARY_META)) return next(transaction);
		if (transform) {
			const tracked = transform(transaction, this.editor.state);
			if (tracked) next(tracked);
			return;
		}
		// Someone who may only suggest never sends a plain edit (the server would drop it anyway).
		if (!this.options.suggestOnly) next(transaction);
	}
});
