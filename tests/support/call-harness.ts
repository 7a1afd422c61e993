import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { ServerMessage } from '../../src/lib/calls/protocol';
import { sameOrigin } from '../../src/lib/server/collab/app-auth';
import { identifyCaller, registerAppRooms } from '../../src/lib/server/start-calls';
import { attachCalls, type AttachedCalls, type CallOptions } from '../../src/lib/server/calls/signalling';
import type { Db } from '../../src/lib/server/db';

export interface CallHarness {
	server: Server;
	calls: AttachedCalls;
	url: string;
	origin: string;
	events: string[];
	close(): Promise<void>;
}

/** A real HTTP server on port 0 with the app's call signalling attached, on a test database. */
export async function startCalls(db: Db, limits: CallOptions['limits'] = {}): Promise<CallHarness> {
	const server = createServer((_req, res) => res.writeHead(404).end());
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	const events: string[] = [];
	registerAppRooms();
	const calls = attachCalls(server, {
		getDb: async () => db,
		checkOrigin: sameOrigin(undefined),
		identify: identifyCaller,
		iceServers: () => ({ iceServers: [], relayed: false }),
		log: (event) => events.push(event),
		limits: { revalidateMs: 100, ...limits }
	});
	return {
		server,
		calls,
		url: `ws://127.0.0.1:${port}/call/`,
		origin: `http://127.0.0.1:${port}`,
		events,
		async close() {
			await calls.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

/** One signalling client: what it received, and its close code once closed. */
export interface CallClient {
	ws: WebSocket;
	received: ServerMessage[];
	closed: Promise<{ code: number; reason: string }>;
	/** Resolves with the first received message (already received or to come) that matches. */
	next<T extends ServerMessage['t']>(t: T, match?: (m: Extract<ServerMessage, { t: T }>) => boolean): Promise<Extract<ServerMessage, { t: T }>>;
	send(msg: unknown): void;
}

/** Connects to a room as a browser would: with an Origin and the given cookies. */
export function callClient(h: CallHarness, room: string, cookies: Record<string, string>, origin = h.origin): CallClient {
	const cookie = Object.entries(cookies)
		.map(([k, v]) => `${k}=${v}`)
		.join('; ');
	const ws = new WebSocket(h.url + room, { headers: { origin, ...(cookie ? { cookie } : {}) } });
	const received: ServerMessage[] = [];
	const waiters: (() => void)[] = [];
	ws.on('message', (data) => {
		received.push(JSON.parse(data.toString()) as ServerMessage);
		for (const w of waiters.splice(0)) w();
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => {
		ws.on('close', (code, reason) => {
			resolve({ code, reason: reason.toString() });
			for (const w of waiters.splice(0)) w();
		});
		ws.on('unexpected-response', (_req, res) => resolve({ code: res.statusCode ?? 0, reason: 'http' }));
		ws.on('error', () => {});
	});
	return {
		ws,
		received,
		closed,
		next(t, match = () => true) {
			return new Promise((resolve, reject) => {
				const look = () => {
					const found = received.find((m) => m.t === t && match(m as never));
					if (found) return resolve(found as never);
					if (ws.readyState === WebSocket.CLOSED) return reject(new Error(`closed before ${t}`));
					waiters.push(look);
				};
				look();
			});
		},
		send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg))
	};
}
