import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { SaveState } from '../../src/lib/collab/save-state.svelte';

/** The record's save status line, from the connection state and the server's messages. */
describe('save state', () => {
	it('says "saved" only for stored edits, and "not saved" while the server cannot store them', () => {
		const doc = new Y.Doc();
		const save = new SaveState(doc, 'test:unsaved');
		save.connected = true;
		save.synced = true;
		expect(save.status).toBe('saved');
		let update: Uint8Array | null = null;
		doc.once('update', (u: Uint8Array) => (update = u));
		doc.getText('t').insert(0, '调解笔录');
		save.localUpdate(update!);
		expect(save.status).toBe('saving');
		save.serverCannotStore = true;
		expect(save.status).toBe('not-stored');
		save.connected = false;
		expect(save.status).toBe('offline');
		save.connected = true;
		save.ack(new Map([[doc.clientID, Y.getState(doc.store, doc.clientID)]]));
		expect(save.status).toBe('saved');
		doc.destroy();
	});
});
