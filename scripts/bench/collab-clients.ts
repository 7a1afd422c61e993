import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** Sent edits by (clientID, clock reached), with their send time; filled by typists. */
export type SendLog = Map<string, number>;
export const key = (client: number, clock: number) => `${client}:${clock}`;

/** Per send: the times at which each sampled peer had it applied. */
export class LatencyBook {
	readonly arrivals = new Map<string, number[]>();
	constructor(
		readonly sends: SendLog,
		readonly peers: number
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
				if (!this.sends.has(k)) continue;
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

/**
 * A light typist: its own small Y.Doc makes valid updates, sent as y-websocket frames with an
 * awareness (cursor) update each time. It reads only the "saved" acknowledgements it receives and the
 * server's sync step 1 (to send what the server lacks of its edits, e.g. after a dropped connection).
 * It can drop its connection and come back with the same Y.Doc, as a browser tab does.
 */
export class LightClient {
	ws!: WebSocket;
	readonly doc = new Y.Doc();
	private awarenessClock = 0;
	readonly acks: number[] = [];
	private pendingAcks = new Map<number, number>();
	private lastDisconnect = -Infinity;
	/** Socket errors seen (a refused or reset connection); the socket is closed after one. */
	errors = 0;
	private readonly name = `T${this.doc.clientID % 1000}`;

	constructor(
		private readonly url: string,
		ready: () => void
	) {
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
		// The name goes in the URL too, so our server attests the same user the client publishes.
		this.ws = new WebSocket(`${this.url}?name=${this.name}`, { headers: { origin: 'http://127.0.0.1' }, perMessageDeflate: false });
		this.ws.binaryType = 'nodebuffer';
		this.ws.on('error', () => this.errors++);
		this.ws.on('open', () => {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc));
			this.ws.send(encoding.toUint8Array(e));
			ready();
		});
		this.ws.on('message', (data: Buffer) => this.onMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
	}

	/** Drops the connection: a clean close, or abruptly (a lost network) with `terminate`. */
	disconnect(terminate = false): void {
		this.lastDisconnect = performance.now();
		if (terminate) this.ws.terminate();
		else this.ws.close();
	}

	/** Types one character and moves the cursor; returns the edit's key and send time. */
	type(): { key: string; at: number } {
		const text = this.doc.getText('t');
		let update: Uint8Array | null = null;
		const capture = (u: Uint8Array) => (update = u);
		this.doc.once('update', capture);
		text.insert(text.length, 'a');
		const clock = Y.getState(this.doc.store, this.doc.clientID);
		const now = performance.now();
		this.pendingAcks.set(clock, now);
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint8Array(e, update!);
		this.ws.send(encoding.toUint8Array(e));
		const a = encoding.createEncoder();
		encoding.writeVarUint(a, 1);
		const state = JSON.stringify({ user: { name: this.name }, cursor: { anchor: text.length, head: text.length } });
		const inner = encoding.createEncoder();
		encoding.writeVarUint(inner, 1);
		encoding.writeVarUint(inner, this.doc.clientID);
		encoding.writeVarUint(inner, ++this.awarenessClock);
		encoding.writeVarString(inner, state);
		encoding.writeVarUint8Array(a, encoding.toUint8Array(inner));
		this.ws.send(encoding.toUint8Array(a));
		return { key: key(this.doc.clientID, clock), at: now };
	}

	private onMessage(frame: Uint8Array): void {
		const d = decoding.createDecoder(frame);
		const type = decoding.readVarUint(d);
		if (type === 0 && decoding.readVarUint(d) === 0) {
			// The server's state vector: send the edits of ours it lacks (none on a first connection).
			const stateVector = decoding.readVarUint8Array(d);
			const id = this.doc.clientID;
			if ((Y.decodeStateVector(stateVector).get(id) ?? 0) >= Y.getState(this.doc.store, id)) return;
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.doc, stateVector));
			this.ws.send(encoding.toUint8Array(e));
			return;
		}
		if (type === 7) {
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

	close(): void {
		this.ws.terminate();
		this.doc.destroy();
	}
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
export function observer(base: string, room: string, book: LatencyBook): { provider: WebsocketProvider; close(): void } {
	const doc = new Y.Doc();
	const have = new Map<number, number>();
	const provider = new WebsocketProvider(base, room, doc, {
		WebSocketPolyfill: class extends WebSocket {
			constructor(url: string) {
				super(url, { headers: { origin: 'http://127.0.0.1' }, perMessageDeflate: false });
			}
		} as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	provider.awareness.setLocalStateField('user', { name: 'observer' });
	doc.on('update', (u: Uint8Array) => book.seen(Y.parseUpdateMeta(u).to, have, performance.now()));
	return {
		provider,
		close() {
			provider.awareness.destroy();
			provider.destroy();
			doc.destroy();
		}
	};
}
