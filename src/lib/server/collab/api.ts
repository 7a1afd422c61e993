import type * as Y from 'yjs';
import type { CollabRelay } from './relay';

/**
 * The collaboration server as the rest of the app sees it: created once by the process entry
 * (`src/lib/server/start-collab.ts`) and handed to routes through `event.locals.collab`, which pass it on to the
 * use cases that touch live documents. Nothing else of `src/lib/server/collab/` is for them.
 */
export interface CollabServer {
	/**
	 * A document for a server-side read or edit, whether or not anyone has it open (in the spirit of
	 * Hocuspocus's `DirectConnection`). An edit of an open document goes through the same store queue,
	 * fan-out and relay as an editor's keystroke.
	 */
	document(name: string): DirectDocument;
	/** The people connected to a document now (signed in and granted), one entry per connection. */
	connected(docName: string): ConnectedPeer[];
	/** Closes the connections to a document, or only those with `access` (e.g. editors once it is frozen). */
	closePeers(docName: string, access?: 'write' | 'read' | 'view'): number;
	/** Re-checks every connection's access now and closes those whose access ended or changed. */
	recheckAccess(): Promise<void>;
	/** With several instances (REDIS_URL): whether live documents are shared now; null with one instance. */
	readonly relay: RelayStatus | null;
	stats(): { documents: number; connections: number };
	/** Stores everything pending, closes every socket and stops. */
	close(): Promise<void>;
}

export type RelayStatus = Pick<CollabRelay, 'up' | 'check'>;

export interface ConnectedPeer {
	userId: number;
	access: 'write' | 'read' | 'view';
}

/** One document, read or edited by the server itself. */
export interface DirectDocument {
	readonly name: string;
	/** Whether a collaboration server holds it in memory now (someone has it open, or had it a moment ago). */
	isOpen(): Promise<boolean>;
	/**
	 * The document as stored: its compacted state plus the log since, with whatever the server holds
	 * in memory stored first, so it includes the last keystrokes. The caller destroys it.
	 */
	read(): Promise<Y.Doc>;
	/**
	 * Makes one edit as a new Yjs update (history is only ever added to): on the open document when
	 * there is one, so every editor receives it at once, else on the stored log. Resolves with the
	 * update once it is stored (an empty update when `edit` changed nothing).
	 */
	edit(edit: (doc: Y.Doc) => void): Promise<Uint8Array>;
}
