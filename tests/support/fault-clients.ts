import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { decodeSaved, encodeSyncStep1, encodeUpdate, MSG_SAVED, MSG_STORE_STATUS, MSG_SYNC } from '../../src/lib/server/collab/protocol';
import { authedSocket, connectClient, notifyAll, until } from './collab-harness';
import type { Instance } from './fault-cluster';

/** One marker a client typed, e.g. `[c3-17]`, and its own clock once it was typed. */
export interface Marker {
	text: string;
	/** The client's state clock right after the insert: the marker is stored once the saved clock reaches it. */
	clock: number;
}

/** A scripted editor that types unique markers into the record's text `t`. */
export interface MarkerClient {
	readonly label: string;
	readonly instance: Instance;
	readonly doc: Y.Doc;
	readonly typed: Marker[];
	/** Connected and synced with its instance. */
	synced(): boolean;
	/** Highest stored clock the server acknowledged for this client's own edits. */
	savedClock(): number;
	/** Whether the server last said that storing edits fails. */
	storeFailing(): boolean;
	/** Drops the socket without a closing handshake and stays away until `reconnect()`. */
	drop(): Promise<void>;
	reconnect(): void;
	destroy(): void;
}

export const text = (client: { doc: Y.Doc }) => client.doc.getText('t').toString();
export const acked = (client: MarkerClient) => client.typed.filter((m) => m.clock <= client.savedClock());
export const allSaved = (client: MarkerClient) => client.savedClock() >= Y.getState(client.doc.store, client.doc.clientID);

/**
 * Types the client's next marker. Markers go only between markers (at the start, at the end or after
 * a `]`), never into one, so each stays whole and can be counted; the text holds nothing else.
 */
export function typeMarker(client: MarkerClient): Marker {
	const t = client.doc.getText('t');
	const current = t.toString();
	const marker = `[${client.label}-${client.typed.length + 1}]`;
	const choice = Math.random();
	let at = current.length;
	if (choice < 0.25) at = 0;
	else if (choice < 0.5 && current.length > 0) at = current.indexOf(']', Math.floor(Math.random() * current.length)) + 1 || current.length;
	t.insert(at, marker);
	const typed = { text: marker, clock: Y.getState(client.doc.store, client.doc.clientID) };
	client.typed.push(typed);
	return typed;
}

/** Every client types a marker every `everyMs` (each on its own timer, spread over the period) until stopped. */
export function startTyping(clients: MarkerClient[], everyMs: number): () => void {
	let stopped = false;
	const timers: NodeJS.Timeout[] = [];
	clients.forEach((client, i) => {
		const first = setTimeout(() => {
			typeMarker(client);
			if (!stopped) timers.push(setInterval(() => typeMarker(client), everyMs));
		}, (everyMs * i) / clients.length);
		timers.push(first);
	});
	return () => {
		stopped = true;
		// Node's clearTimeout also clears intervals (one Timeout class).
		for (const timer of timers) clearTimeout(timer);
	};
}

/**
 * A full y-websocket provider, as the browser editor uses it (collab-harness.ts), reconnecting on its
 * own with the provider's back-off after any close the server does not mark as final.
 */
export function providerClient(instance: Instance, docName: string, token: string, label: string): MarkerClient {
	const client = connectClient(instance, docName, token);
	const { provider } = client;
	return {
		label,
		instance,
		doc: client.doc,
		typed: [],
		synced: () => provider.wsconnected && provider.synced,
		savedClock: client.savedClock,
		storeFailing: client.storeFailing,
		async drop() {
			// No reconnect until asked: what the server stored must be read before anything is re-sent.
			provider.shouldConnect = false;
			(provider.ws as unknown as WebSocket | null)?.terminate();
			await until(() => provider.ws === null, `${label} to see its socket closed`, 30_000);
		},
		reconnect: () => provider.connect(),
		destroy: client.destroy
	};
}

/**
 * A light client for the reconnect storm: the y-websocket sync protocol over a bare socket, a Y.Doc,
 * the "saved" acknowledgements and store status, no awareness. It reconnects after 100–400 ms, as a provider would,
 * unless the server closed with a final code (4400–4499).
 */
export function lightClient(instance: Instance, docName: string, token: string, label: string): MarkerClient & { refused(): number | null } {
	const doc = new Y.Doc();
	const Socket = authedSocket(token, instance.origin);
	const remote = Symbol('remote');
	let ws: WebSocket | null = null;
	let isSynced = false;
	let saved = 0;
	let failing = false;
	let wanted = true;
	let refused: number | null = null;

	const send = (frame: Uint8Array) => {
		if (ws?.readyState === WebSocket.OPEN) ws.send(frame);
	};
	const onFrame = (frame: Uint8Array) => {
		const decoder = decoding.createDecoder(frame);
		const type = decoding.readVarUint(decoder);
		if (type === MSG_SYNC) {
			const reply = encoding.createEncoder();
			encoding.writeVarUint(reply, MSG_SYNC);
			const kind = syncProtocol.readSyncMessage(decoder, reply, doc, remote);
			if (kind === syncProtocol.messageYjsSyncStep2) isSynced = true;
			if (encoding.length(reply) > 1) send(encoding.toUint8Array(reply));
		} else if (type === MSG_SAVED) {
			const clock = decodeSaved(decoder).get(doc.clientID);
			if (clock !== undefined && clock > saved) saved = clock;
		} else if (type === MSG_STORE_STATUS) {
			failing = decoding.readVarUint(decoder) === 1;
		}
		setImmediate(notifyAll);
	};
	const open = () => {
		if (!wanted || ws) return;
		const socket = new Socket(`ws://127.0.0.1:${instance.port}/collab/${docName}`);
		ws = socket;
		socket.binaryType = 'nodebuffer';
		socket.on('open', () => send(encodeSyncStep1(doc)));
		socket.on('message', (data: Buffer) => onFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
		// A refused upgrade or a reset is followed by 'close'; the error itself needs no handling.
		socket.on('error', () => {});
		socket.on('close', (code: number) => {
			if (ws === socket) ws = null;
			isSynced = false;
			if (code >= 4400 && code < 4500) refused = code;
			else if (wanted) setTimeout(open, 100 + Math.random() * 300);
			setImmediate(notifyAll);
		});
	};
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== remote) send(encodeUpdate(update));
		setImmediate(notifyAll);
	});
	open();

	return {
		label,
		instance,
		doc,
		typed: [],
		synced: () => isSynced && ws?.readyState === WebSocket.OPEN,
		savedClock: () => saved,
		storeFailing: () => failing,
		refused: () => refused,
		async drop() {
			wanted = false;
			const socket = ws;
			socket?.terminate();
			await until(() => ws !== socket, `${label} to see its socket closed`, 30_000);
		},
		reconnect() {
			wanted = true;
			open();
		},
		destroy() {
			wanted = false;
			ws?.terminate();
			doc.destroy();
		}
	};
}
