import type { Editor } from '@tiptap/core';
import type * as Y from 'yjs';

/**
 * The editors open on each shared document, by field, so features loaded later (comments) can find
 * them without the editor components knowing of those features: an editor registers itself when it
 * mounts and leaves when destroyed; a listener hears both.
 */
const open = new WeakMap<Y.Doc, Map<string, Editor>>();
const listeners = new WeakMap<Y.Doc, Set<() => void>>();

export function registerEditor(doc: Y.Doc, field: string, editor: Editor): () => void {
	let fields = open.get(doc);
	if (!fields) open.set(doc, (fields = new Map()));
	fields.set(field, editor);
	changed(doc);
	return () => {
		if (fields.get(field) === editor) fields.delete(field);
		changed(doc);
	};
}

/** The editors open on a document now, field → editor. */
export function editorsOf(doc: Y.Doc): Map<string, Editor> {
	return new Map(open.get(doc) ?? []);
}

/** Calls `listener` whenever an editor of the document opens or closes; returns the unsubscribe. */
export function onEditorsChanged(doc: Y.Doc, listener: () => void): () => void {
	let set = listeners.get(doc);
	if (!set) listeners.set(doc, (set = new Set()));
	set.add(listener);
	return () => set.delete(listener);
}

function changed(doc: Y.Doc): void {
	for (const listener of listeners.get(doc) ?? []) listener();
}
