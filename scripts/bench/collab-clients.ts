import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

// y-websocket's message types, and our server's "saved" acknowledgement (src/lib/server/collab/protocol.ts).
const MSG_SYNC = 0;
const MSG_AWARENESS = 1;
const MSG_QUERY_AWARENESS = 3;
const MSG_SAVED = 7;

/** Sent edits by (clientID, clock reached), with their send time; filled by typists. */
export type SendLog = Map<string, number>;
export const key = (client: number, clock: number) => `${client}:${clock}`;

/** Per send: the times at which each sampled peer had it applied. */
export class LatencyBook {
	readonly arrivals = new Map<string, number[]>();
	constructor(
		readonly sends: SendLog,
		readonly peers: number,
		/** Keep every arrival, not only those of edits already in `sends` (filled after the fact). */
		private readonly sendsLater = false
	) {}
	/** A peer reports the clocks it now has for each client. */
	seen(clocks: Map<number, number>, have: Map<number, number>, now: number): void {
		for (const [client, clock] of clocks) {
			const from = have.get(client) ?? 0;
			if (clock <= from) continue;
			have.set(client, clock);
			// Every send with a clock in (from, clock] arrived now.
			for (let c = from + 1; c <= clock; c++) {
				const k = key(client, c);
				if (!this.sendsLater && !this.sends.has(k)) continue;
				const list = this.arrivals.get(k) ?? [];
				list.push(now);
				this.arrivals.set(k, list);
			}
		}
	}
	/** All-peers-applied latency of each send (made at `since` or later) that every sampled peer received. */
	latencies(since = -Infinity): number[] {
		const out: number[] = [];
		for (const [k, list] of this.arrivals) {
			const at = this.sends.get(k)!;
			if (list.length >= this.peers && at >= since) out.push(Math.max(...list) - at);
		}
		return out;
	}
}

/** A bench participant's attested presence, as a record editor publishes it (presence.svelte.ts: RecordUser). */
export function benchUser(id: number): { id: number; name: string; color: string; role: string } {
	return { id, name: `T${id}`, color: '#2f6f4e', role: 'panel_member' };
}

/** The query string that tells the bench server (collab-server-ours.ts) whom to attest. */
const userQuery = (user: ReturnType<typeof benchUser>) => new URLSearchParams({ id: String(user.id), name: user.name, role: user.role, color: user.color });

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };
const REMOTE = Symbol('remote');

/**
 * A light typist that does on the wire what a browser's y-websocket 3.1 provider with y-protocols'
 * Awareness does (node_modules/y-websocket/src/y-websocket.js), without applying other people's edits
 * (that is what keeps 200 of them in one process cheap, and it sends nothing):
 * - on connect: sync step 1, then its own awareness state;
 * - the server's sync step 1 is answered with sync step 2 (what the server lacks of its edits, an
 *   empty update when nothing), always, as y-protocols' readSyncStep1 does;
 * - each local edit goes out as its own update; each cursor move changes the awareness state;
 * - every awareness update, local or remote, is broadcast: a remote state the client had not seen yet
 *   (a newer clock), a removal, or its own change. So every cursor move in a room of N comes back to
 *   the server from each of the other N−1 clients: the N² awareness traffic of real rooms;
 * - y-protocols' Awareness timer (every 3 s): renews its own state after 15 s without a change, and
 *   drops (and broadcasts the removal of) remote states not renewed for 30 s;
 * - a query-awareness is answered with every state it knows. y-websocket 3.1 sends a query only on
 *   its BroadcastChannel (between tabs of one browser), never on the socket, so neither does this;
 * - a clean close first publishes its state as null (provider.disconnect); on any close the remote
 *   states are dropped locally (nothing sent, the socket is gone), and come back from the server's
 *   full list on the next connect, which is then broadcast back as added.
 * It reads the "saved" acknowledgements (our message 7) for the saved-ack figures.
 * It can drop its connection and come back with the same Y.Doc, as a browser tab does.
 */
export class LightClient {
	ws!: WebSocket;
	readonly doc = new Y.Doc();
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly acks: number[] = [];
	private pendingAcks = new Map<number, number>();
	private lastDisconnect = -Infinity;
	/** The provider's `wsconnected`: set on open, cleared before the remote states are dropped on close. */
	private connected = false;
	/** Socket errors seen (a refused or reset connection); the socket is closed after one. */
	errors = 0;
	/** Close codes the server ended this client's connections with (e.g. 4429 over budget). */
	readonly closeCodes: number[] = [];
	/** Awareness frames this client sent (own changes and re-broadcasts). */
	awarenessSent = 0;
	private readonly user = benchUser(this.doc.clientID % 100_000);

	constructor(
		private readonly url: string,
		ready: () => void
	) {
		// As record-connection.svelte.ts does before connecting.
		this.awareness.setLocalStateField('user', this.user);
		this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
			const changed = added.concat(updated, removed);
			this.broadcast(awarenessFrame(this.awareness, changed));
		});
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === REMOTE) return;
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, MSG_SYNC);
			syncProtocol.writeUpdate(e, update);
			this.broadcast(encoding.toUint8Array(e));
		});
		this.connect(ready);
	}

	/** Whether the socket is open (typing is possible). */
	get open(): boolean {
		return this.ws.readyState === WebSocket.OPEN;
	}

	/** Edits sent and not yet acknowledged as stored. */
	get unsaved(): number {
		return this.pendingAcks.size;
	}

	/** Connects again after `disconnect()`, with the same document and client id. */
	connect(ready: () => void = () => {}): void {
		// The user goes in the URL too, so our bench server attests the same user the client publishes.
		const ws = new WebSocket(`${this.url}?${userQuery(this.user)}`, { headers: { origin: 'http://127.0.0.1' }, perMessageDeflate: false });
		this.ws = ws;
		ws.binaryType = 'nodebuffer';
		ws.on('error', () => this.errors++);
		ws.on('open', () => {
			this.connected = true;
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, MSG_SYNC);
			syncProtocol.writeSyncStep1(e, this.doc);
			ws.send(encoding.toUint8Array(e));
			if (this.awareness.getLocalState() !== null) ws.send(awarenessFrame(this.awareness, [this.doc.clientID]));
			ready();
		});
		ws.on('close', (code: number) => {
			if (ws !== this.ws) return;
			if (code >= 4000) this.closeCodes.push(code);
			this.dropRemoteStates();
		});
		ws.on('message', (data: Buffer) => this.onMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
	}

	/**
	 * Drops the connection: a clean close (provider.disconnect: its state published as null first, the
	 * clock unchanged), or abruptly (a lost network) with `terminate`.
	 */
	disconnect(terminate = false): void {
		this.lastDisconnect = performance.now();
		if (terminate) {
			this.dropRemoteStates();
			this.ws.terminate();
			return;
		}
		this.broadcast(awarenessFrame(this.awareness, [this.doc.clientID], new Map()));
		this.dropRemoteStates();
		this.ws.close();
	}

	/** Types one character and moves the cursor after it; returns the edit's key and send time. */
	type(): { key: string; at: number } {
		const text = this.doc.getText('t');
		text.insert(text.length, 'a');
		const clock = Y.getState(this.doc.store, this.doc.clientID);
		const now = performance.now();
		this.pendingAcks.set(clock, now);
		// The caret as Tiptap's cursor plugin (@tiptap/y-tiptap) publishes it: relative positions to the
		// character left of the caret (assoc −1), so each typed character changes the state.
		const at = Y.createRelativePositionFromTypeIndex(text, text.length, -1);
		this.awareness.setLocalStateField('cursor', { anchor: at, head: at });
		return { key: key(this.doc.clientID, clock), at: now };
	}

	private broadcast(frame: Uint8Array): void {
		if (!this.connected || this.ws.readyState !== WebSocket.OPEN) return;
		if (frame[0] === MSG_AWARENESS) this.awarenessSent++;
		this.ws.send(frame);
	}

	/** The provider's close: remote states go (its `wsconnected` is already false, so nothing is sent). */
	private dropRemoteStates(): void {
		this.connected = false;
		const remote = [...this.awareness.getStates().keys()].filter((c) => c !== this.doc.clientID);
		awarenessProtocol.removeAwarenessStates(this.awareness, remote, REMOTE);
	}

	private onMessage(frame: Uint8Array): void {
		const d = decoding.createDecoder(frame);
		switch (decoding.readVarUint(d)) {
			case MSG_SYNC: {
				// Sync step 1 is answered with step 2 as y-protocols does; step 2 and updates carry other
				// people's edits, which a light client does not apply (nothing goes out for them).
				if (decoding.readVarUint(d) !== syncProtocol.messageYjsSyncStep1) return;
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, MSG_SYNC);
				syncProtocol.writeSyncStep2(e, this.doc, decoding.readVarUint8Array(d));
				this.ws.send(encoding.toUint8Array(e));
				return;
			}
			case MSG_AWARENESS:
				awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(d), REMOTE);
				return;
			case MSG_QUERY_AWARENESS:
				this.ws.send(awarenessFrame(this.awareness, [...this.awareness.getStates().keys()]));
				return;
			case MSG_SAVED: {
				const n = decoding.readVarUint(d);
				for (let i = 0; i < n; i++) {
					const client = decoding.readVarUint(d);
					const clock = decoding.readVarUint(d);
					if (client !== this.doc.clientID) continue;
					for (const [c, t] of this.pendingAcks) {
						if (c > clock) continue;
						// An edit sent before a dropped connection is confirmed only after the reconnect: no latency.
						if (t > this.lastDisconnect) this.acks.push(performance.now() - t);
						this.pendingAcks.delete(c);
					}
				}
				return;
			}
		}
	}

	close(): void {
		this.connected = false;
		this.ws.terminate();
		// Destroys the awareness too (and its timer); with the socket gone nothing is sent.
		this.doc.destroy();
	}
}

/** y-websocket's awareness message for `clients` (their states from `states`, as encodeAwarenessUpdate takes them). */
function awarenessFrame(awareness: awarenessProtocol.Awareness, clients: number[], states?: Map<number, unknown>): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MSG_AWARENESS);
	encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients, states as Map<number, Record<string, unknown>>));
	return encoding.toUint8Array(e);
}

/**
 * The state vector of a document as the server has it applied (clientID → clock), read with a sync
 * step 1 from an empty document: content the server holds but cannot apply yet is not counted.
 */
export function serverStateVector(url: string): Promise<Map<number, number>> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${url}?name=verifier`, { headers: { origin: 'http://127.0.0.1' }, perMessageDeflate: false });
		const timer = setTimeout(() => {
			ws.terminate();
			reject(new Error(`no sync step 2 from ${url}`));
		}, 10_000);
		ws.on('error', reject);
		ws.on('open', () => {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
			ws.send(encoding.toUint8Array(e));
		});
		ws.on('message', (data: Buffer) => {
			const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
			if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 1) return;
			const doc = new Y.Doc();
			Y.applyUpdate(doc, decoding.readVarUint8Array(d));
			clearTimeout(timer);
			ws.terminate();
			resolve(Y.decodeStateVector(Y.encodeStateVector(doc)));
			doc.destroy();
		});
	});
}

/** A full provider, as the browser uses it: applies every update and keeps awareness. */
export function observer(
	base: string,
	room: string,
	book: LatencyBook,
	/** The clock arrivals are read on (the send log's: absolute when typists run in other processes). */
	clock: () => number = () => performance.now()
): { provider: WebsocketProvider; close(): void } {
	const doc = new Y.Doc();
	const have = new Map<number, number>();
	const user = benchUser(doc.clientID % 100_000);
	const provider = new WebsocketProvider(base, room, doc, {
		params: Object.fromEntries(userQuery(user)),
		WebSocketPolyfill: class extends WebSocket {
			constructor(url: string) {
				super(url, { headers: { origin: 'http://127.0.0.1' }, perMessageDeflate: false });
			}
		} as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	provider.awareness.setLocalStateField('user', user);
	doc.on('update', (u: Uint8Array) => book.seen(Y.parseUpdateMeta(u).to, have, clock()));
	return {
		provider,
		close() {
			provider.awareness.destroy();
			provider.destroy();
			doc.destroy();
		}
	};
}
