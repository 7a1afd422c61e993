import * as Y from 'yjs';
import type { CollabServer } from '../../collab/attach';
import { postgresStore } from '../../collab/persistence';
import type { Db } from '../../db';
import { liveDocument, loadStoredDocument } from './record-document';

/**
 * Makes one edit to a collaborative document on the server, as a new Yjs update: history is only
 * ever added to. When the collaboration server has the document in memory the edit is made there,
 * so every connected editor receives it at once, and it is stored through the server's own queue;
 * otherwise it is appended to the stored log. Resolves once the edit is stored, with the update.
 */
export async function applyServerEdit(db: Db, docName: string, edit: (doc: Y.Doc) => void, collab: CollabServer | null): Promise<Uint8Array> {
	const live = await liveDocument(collab, docName);
	if (live) {
		const update = captureUpdate(live.ydoc, () => edit(live.ydoc));
		await live.flush();
		return update;
	}
	const doc = await loadStoredDocument(db, docName, null);
	try {
		const update = captureUpdate(doc, () => edit(doc));
		if (update === EMPTY_UPDATE) return update;
		await postgresStore(db).append(docName, [update]);
		// Someone may have opened the document while we were editing the stored copy: give it the
		// edit too (if its load already included it, applying it again changes nothing).
		const opened = await liveDocument(collab, docName);
		if (opened) {
			Y.applyUpdate(opened.ydoc, update);
			await opened.flush();
		}
		return update;
	} finally {
		doc.destroy();
	}
}

/** No structs, no deletions. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** Runs `edit` in one transaction and returns the update it produced (empty when it changed nothing). */
function captureUpdate(doc: Y.Doc, edit: () => void): Uint8Array {
	const parts: Uint8Array[] = [];
	const listener = (update: Uint8Array) => parts.push(update);
	doc.on('update', listener);
	try {
		doc.transact(edit);
	} finally {
		doc.off('update', listener);
	}
	if (parts.length === 0) return EMPTY_UPDATE;
	return parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
}
