import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { sameOrigin, sessionAuthenticator, type AuthenticatorPolicies, type DocumentPolicy } from '../../src/lib/server/collab/app-auth';
import { attachCollab, type AttachedCollab, type CollabOptions } from '../../src/lib/server/collab/attach';
import { postgresStore, type CollabStore } from '../../src/lib/server/collab/persistence';
import { decodeSaved, MSG_SAVED, MSG_STORE_STATUS } from '../../src/lib/server/collab/protocol';
import type { CollabRelay } from '../../src/lib/server/collab/relay';
import type { Db } from '../../src/lib/server/db';

export interface Harness {
	server: Server;
	collab: AttachedCollab;
	port: number;
	origin: string;
	close(): Promise<void>;
}

/** A real HTTP server on port 0 with the collaboration server attached, on a test database. */
export async function startCollab(
	db: Db,
	policy: DocumentPolicy | AuthenticatorPolicies,
	limits: CollabOptions['limits'] = {},
	events: string[] = [],
	metrics?: CollabOptions['metrics'],
	/** Another instance's relay, or a store standing in for the database's (e.g. one that fails). */
	extra: { relay?: CollabRelay; store?: CollabStore } = {}
): Promise<Harness> {
	const server = createServer((_req, res) => res.writeHead(404).end());
	const auth = sessionAuthenticator(async () => db, typeof policy === 'function' ? { access: policy } : policy);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	const collab = attachCollab(server, {
		store: extra.store ?? postgresStore(db),
		relay: extra.relay,
		checkOrigin: sameOrigin(undefined),
		authenticate: auth.authenticate,
		revalidate: auth.revalidate,
		metrics,
		log: (event) => {
			events.push(event);
			setImmediate(notifyAll);
		},
		limits: { revalidateMs: 200, unloadAfterMs: 200, ...limits }
	});
	return {
		server,
		collab,
		port,
		origin: `http://127.0.0.1:${port}`,
		async close() {
			await collab.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

/** A ws class that sends the session cookie and an Origin, as a browser would. */
export function authedSocket(cookie: string | null, origin: string) {
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { ...(cookie ? { cookie: `pingli_session=${cookie}` } : {}), origin } });
		}
	};
}

/** Everything that may make a waited-for condition true notifies these (no polling sleeps). */
const listeners = new Set<() => void>();
export const notifyAll = () => listeners.forEach((l) => l());

export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Highest stored clock the server acknowledged for this client's own id. */
	savedClock(): number;
	/** Whether every local edit of this client is acknowledged as stored. */
	isSaved(): boolean;
	/** Whether the server last said that storing edits fails. */
	storeFailing(): boolean;
	destroy(): void;
}

/** A full y-websocket provider in Node, as the browser editor uses it, with the "saved" handler. */
export function connectClient(h: { port: number; origin: string }, docName: string, token: string | null, options: { connect?: boolean } = {}): TestClient {
	const doc = new Y.Doc();
	let saved = 0;
	let failing = false;
	const provider = new WebsocketProvider(`ws://127.0.0.1:${h.port}/collab`, docName, doc, {
		WebSocketPolyfill: authedSocket(token, h.origin) as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		connect: options.connect ?? true,
		maxBackoffTime: 200
	});
	provider.messageHandlers[MSG_SAVED] = (_encoder: unknown, decoder: decoding.Decoder) => {
		const clock = decodeSaved(decoder).get(doc.clientID);
		if (clock !== undefined && clock > saved) saved = clock;
		setImmediate(notifyAll);
	};
	provider.messageHandlers[MSG_STORE_STATUS] = (_encoder: unknown, decoder: decoding.Decoder) => {
		failing = decoding.readVarUint(decoder) === 1;
		setImmediate(notifyAll);
	};
	doc.on('update', () => setImmediate(notifyAll));
	provider.on('status', () => setImmediate(notifyAll));
	provider.on('sync', () => setImmediate(notifyAll));
	provider.on('connection-close', () => setImmediate(notifyAll));
	provider.awareness.on('change', () => setImmediate(notifyAll));
	return {
		doc,
		provider,
		savedClock: () => saved,
		isSaved: () => saved >= Y.getState(doc.store, doc.clientID),
		storeFailing: () => failing,
		destroy() {
			provider.awareness.destroy();
			provider.destroy();
			doc.destroy();
		}
	};
}

/** Resolves when `predicate` holds, re-checking whenever a client or socket reports something. */
export function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	return new Promise((resolve, reject) => {
		const check = () => {
			if (!predicate()) return;
			clearTimeout(timer);
			listeners.delete(check);
			resolve();
		};
		const timer = setTimeout(() => {
			listeners.delete(check);
			reject(new Error(`timed out waiting for ${what}`));
		}, timeoutMs);
		listeners.add(check);
		check();
	});
}

/** A bare socket speaking the wire protocol by hand, for hostile and low-level tests. */
export function rawSocket(h: { port: number; origin: string }, docName: string, token: string | null) {
	const ws = new (authedSocket(token, h.origin))(`ws://127.0.0.1:${h.port}/collab/${docName}`);
	const frames: Uint8Array[] = [];
	let closed: { code: number } | null = null;
	ws.binaryType = 'nodebuffer';
	ws.on('message', (d: Buffer) => {
		frames.push(new Uint8Array(d));
		setImmediate(notifyAll);
	});
	ws.on('close', (code: number) => {
		closed = { code };
		setImmediate(notifyAll);
	});
	ws.on('open', () => setImmediate(notifyAll));
	ws.on('unexpected-response', (_req, res) => {
		closed = { code: res.statusCode ?? 0 };
		setImmediate(notifyAll);
	});
	ws.on('error', () => setImmediate(notifyAll));
	return { ws, frames, closed: () => closed, opened: () => ws.readyState === WebSocket.OPEN };
}
