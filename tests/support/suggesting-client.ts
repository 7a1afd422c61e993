/**
 * A record editor without a browser, for the suggestion tests: the Tiptap schema of the live record,
 * its Yjs binding's own way of writing a ProseMirror document into the shared fragment
 * (`updateYFragment`), and the suggestion mode of the browser (src/lib/collab/suggest-mode.ts). What it
 * sends is what a browser would send for the same edit.
 */
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state';
import * as Y from 'yjs';
import { suggestTransaction } from '../../src/lib/collab/suggest-mode';
import { SuggestChanges } from '../../src/lib/collab/suggestion-marks';
import type { SuggestionAuthor } from '../../src/lib/shared/suggestion-id';

export const recordSchema = getSchema([StarterKit.configure({ undoRedo: false, heading: { levels: [2, 3] }, link: false }), SuggestChanges]);

export class SuggestingClient {
	readonly doc = new Y.Doc();
	constructor(
		server: Y.Doc,
		readonly field = 'default'
	) {
		Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(server));
	}

	get pm() {
		return yXmlFragmentToProseMirrorRootNode(this.doc.getXmlFragment(this.field), recordSchema);
	}

	/** Position just after the first occurrence of `text` (ProseMirror coordinates). */
	after(text: string): number {
		let found = -1;
		this.pm.descendants((node, pos) => {
			if (found < 0 && node.isText && node.text!.includes(text)) found = pos + node.text!.indexOf(text) + text.length;
			return found < 0;
		});
		if (found < 0) throw new Error(`no ${text}`);
		return found;
	}

	/**
	 * Makes an edit and returns the update the binding would send; `as` turns it into that author's
	 * suggestion first (strict: a party's, null when the editor itself refuses it).
	 */
	edit(make: (state: EditorState) => Transaction, as?: SuggestionAuthor, strict = true): Uint8Array | null {
		const state = EditorState.create({ doc: this.pm });
		let tr: Transaction | null = make(state);
		if (as) tr = suggestTransaction(tr, state, as, strict);
		if (!tr) return null;
		return this.write(tr.doc);
	}

	write(doc: EditorState['doc']): Uint8Array | null {
		const updates: Uint8Array[] = [];
		const on = (u: Uint8Array) => updates.push(u);
		this.doc.on('update', on);
		this.doc.transact(() => updateYFragment(this.doc, this.doc.getXmlFragment(this.field), doc, { mapping: new Map(), isOMark: new Map() } as never));
		this.doc.off('update', on);
		return updates.length ? Y.mergeUpdates(updates) : null;
	}

	/** Takes in what the server now holds. */
	sync(server: Y.Doc): void {
		Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(this.doc)));
	}
}

export const caret = (state: EditorState, pos: number) => state.tr.setSelection(TextSelection.create(state.doc, pos));
