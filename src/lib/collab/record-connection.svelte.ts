import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Presence, type RecordUser } from './presence.svelte';
import { ensureTemplate } from '../shared/record-template';
import { SaveState } from './save-state.svelte';

/** The server's "saved" acknowledgement (src/lib/server/collab/protocol.ts: MSG_SAVED). */
const MSG_SAVED = 7;
/** Whether the server can store edits now (protocol.ts: MSG_STORE_STATUS). */
const MSG_STORE_STATUS = 8;
const MSG_SYNC = 0;

export interface RecordConnectionOptions {
	/** The document, e.g. `record:42`. */
	room: string;
	user: RecordUser;
	canWrite: boolean;
	/** The collaboration endpoint, e.g. wss://host/collab. */
	url: string;
	/** Whether a writer lays out the record's template once synced (a record's; default true). */
	template?: boolean;
}

/**
 * One open record in the browser: the Y.Doc, its copy on this device (IndexedDB, so edits survive
 * going offline and reloading), the y-websocket provider to our server, the save state and presence.
 */
export class RecordConnection {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly local: IndexeddbPersistence;
	readonly save: SaveState;
	readonly presence: Presence;
	/** The device's own copy has been loaded into the document. */
	localLoaded = $state(false);
	/** The server refused or ended our access (e.g. removed from the case, signed out). */
	refused = $state(false);
	/** The close code the server ended it with (close-reason.ts says what it means to the person). */
	closeCode = $state<number | null>(null);
	private destroyed = false;
	private localBarrier = 0;

	constructor(private readonly options: RecordConnectionOptions) {
		const { room, user } = options;
		// Per user as well as per room: one person's unsent edits are never sent under another's session.
		const deviceKey = `pingli:${user.id}:${room}`;
		this.save = new SaveState(this.doc, `${deviceKey}:unsaved`);
		this.local = new IndexeddbPersistence(deviceKey, this.doc);
		this.provider = new WebsocketProvider(options.url, room, this.doc, { connect: false, maxBackoffTime: 5000 });
		this.presence = new Presence(this.provider.awareness);
		this.provider.awareness.setLocalStateField('user', user);

		this.provider.messageHandlers[MSG_SAVED] = (_encoder, decoder) => {
			const n = decoding.readVarUint(decoder);
			const clocks = new Map<number, number>();
			for (let i = 0; i < n; i++) clocks.set(decoding.readVarUint(decoder), decoding.readVarUint(decoder));
			this.save.ack(clocks);
		};
		this.provider.messageHandlers[MSG_STORE_STATUS] = (_encoder, decoder) => {
			this.save.serverCannotStore = decoding.readVarUint(decoder) === 1;
		};
		this.doc.on('update', this.onUpdate);
		this.provider.on('status', ({ status }) => {
			this.save.connected = status === 'connected';
			// A new connection is told again if storing still fails.
			if (status !== 'connected') this.save.serverCannotStore = false;
		});
		this.provider.on('sync', (synced: boolean) => {
			this.save.synced = synced;
			if (synced) this.afterSync();
		});
		// y-websocket stops for good on 4400–4499 (signed out, removed, over a limit) and emits this.
		this.provider.on('closed', ({ code }) => {
			this.closeCode = code;
			this.refused = true;
		});
		void this.local.whenSynced.then(() => {
			if (this.destroyed) return;
			this.localLoaded = true;
			this.save.forgetEmpty();
			this.afterSync();
		});

		// A phone that loses signal may keep a dead socket for a while: follow the browser's own view.
		window.addEventListener('offline', this.goOffline);
		window.addEventListener('online', this.goOnline);
		if (navigator.onLine) this.provider.connect();
	}

	destroy(): void {
		this.destroyed = true;
		window.removeEventListener('offline', this.goOffline);
		window.removeEventListener('online', this.goOnline);
		this.doc.off('update', this.onUpdate);
		this.presence.destroy();
		this.provider.awareness.setLocalState(null);
		this.provider.destroy();
		void this.local.destroy();
		this.doc.destroy();
	}

	private readonly goOffline = () => this.provider.disconnect();
	private readonly goOnline = () => this.provider.connect();

	private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
		// Edits from the server or from the device's own copy are not this device's new edits.
		if (origin === this.provider || origin === this.local) return;
		this.save.localUpdate(update);
		this.confirmKeptOnDevice();
	};

	/**
	 * IndexedDB runs transactions on one store in the order they were created, so a read transaction
	 * opened after y-indexeddb's write completes only once that write is committed.
	 */
	private confirmKeptOnDevice(): void {
		const db = this.local.db;
		if (!db) return;
		this.save.keptOnDevice = false;
		const mark = ++this.localBarrier;
		const tx = db.transaction(['updates'], 'readonly');
		tx.oncomplete = () => {
			if (mark === this.localBarrier) this.save.keptOnDevice = true;
		};
	}

	/** Once both the server and the device's copy are in: the template, and re-sending earlier edits. */
	private afterSync(): void {
		if (this.destroyed || !this.localLoaded || !this.provider.synced) return;
		if (this.options.canWrite && this.options.template !== false) ensureTemplate(this.doc);
		this.resendEarlierEdits();
	}

	/**
	 * Edits made here before a reload carry an earlier client id. Sending them again (a no-op for the
	 * server if it has them) makes the server acknowledge them, so "saved" covers them too.
	 */
	private resendEarlierEdits(): void {
		const ws = this.provider.ws;
		if (!ws || ws.readyState !== WebSocket.OPEN) return;
		for (const client of this.save.earlierClients()) {
			if (Y.getState(this.doc.store, client) === 0) continue;
			// "The server has everything but this client's edits": the update then holds just those.
			const known = Y.decodeStateVector(Y.encodeStateVector(this.doc));
			known.set(client, 0);
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, MSG_SYNC);
			syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(this.doc, encodeVector(known)));
			ws.send(encoding.toUint8Array(e));
		}
	}
}

/** A state vector in Yjs' v1 encoding (count, then client and clock pairs). */
function encodeVector(vector: Map<number, number>): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, vector.size);
	for (const [client, clock] of vector) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
	}
	return encoding.toUint8Array(e);
}
