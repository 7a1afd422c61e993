import * as Y from 'yjs';
import type { CollabServer, DirectDocument } from './api';
import type { Db } from '../db';
import { postgresStore, type CollabStore } from './persistence';
import type { DocRegistry } from './registry';

/**
 * A document for the server's own reads and edits. With a registry (a running collaboration server)
 * an open document is read and edited in memory; otherwise, or when nobody has it open, the store is
 * the document.
 */
export class StoreDirectDocument implements DirectDocument {
	constructor(
		readonly name: string,
		private readonly store: CollabStore,
		private readonly registry: DocRegistry | null
	) {}

	async isOpen(): Promise<boolean> {
		return (await this.registry?.live(this.name)) != null;
	}

	async read(): Promise<Y.Doc> {
		await (await this.registry?.live(this.name))?.flush();
		const { state, updates } = await this.store.load(this.name);
		const doc = new Y.Doc();
		doc.transact(() => {
			if (state) Y.applyUpdate(doc, state);
			for (const u of updates) Y.applyUpdate(doc, u);
		});
		return doc;
	}

	async edit(edit: (doc: Y.Doc) => void): Promise<Uint8Array> {
		const live = await this.registry?.live(this.name);
		if (live) {
			// No origin: the document's own listener queues it for the store, fans it out and relays it,
			// as it does an editor's update.
			const update = captureUpdate(live.ydoc, () => edit(live.ydoc));
			await live.flush();
			return update;
		}
		const doc = await this.read();
		try {
			const update = captureUpdate(doc, () => edit(doc));
			if (update === EMPTY_UPDATE) return update;
			await this.store.append(this.name, [update]);
			// Someone may have opened the document while we were editing the stored copy: give it the
			// edit too (if its load already included it, applying it again changes nothing).
			const opened = await this.registry?.live(this.name);
			if (opened) {
				Y.applyUpdate(opened.ydoc, update);
				await opened.flush();
			}
			return update;
		} finally {
			doc.destroy();
		}
	}
}

/**
 * A document through the running collaboration server, or straight from the database when there
 * is none (scripts, the demo seed, tests of the use cases alone).
 */
export function directDocument(db: Db, collab: CollabServer | null | undefined, name: string): DirectDocument {
	return collab ? collab.document(name) : new StoreDirectDocument(name, postgresStore(db), null);
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
