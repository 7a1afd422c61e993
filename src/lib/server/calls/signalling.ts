import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import { CALL_CLOSE, CALL_LIMITS, type CallPeerInfo, type ClientMessage, type IceServerInfo, type ServerMessage } from '../../calls/protocol';
import { TokenBucket } from '../collab/budget';
import { ConnectionCaps } from '../collab/connection-caps';
import { keepAlive } from '../collab/keep-alive';
import type { Db } from '../db';
import { MAX_FRAME_BYTES, MESSAGE_BUDGETS, parseClientMessage } from './messages';
import { parseRoomName, seatFor, type Caller, type RoomSeat } from './rooms';

export const CALL_PREFIX = '/call/';

export interface CallOptions {
	getDb(): Promise<Db>;
	/** Same-origin check on the upgrade (the collaboration server's, collab/app-auth.ts). */
	checkOrigin(req: IncomingMessage): boolean;
	/** Who asks: a signed-in person or a guest grant, from the request's cookies; null refuses. */
	identify(req: IncomingMessage, db: Db): Promise<Caller | null>;
	/** The ICE servers for a peer (TURN credentials made for it), and whether relaying is configured. */
	iceServers(peerId: string): { iceServers: IceServerInfo[]; relayed: boolean };
	clientAddress?(req: IncomingMessage): string;
	log?(event: string, detail: Record<string, unknown>): void;
	limits?: Partial<typeof DEFAULT_CALL_LIMITS>;
	now?(): Date;
}

export const DEFAULT_CALL_LIMITS = {
	/** How often every open seat is checked again (session ended, removed from the panel, link expired). */
	revalidateMs: 5_000,
	pingMs: 20_000,
	/** Call sockets per client address (a township office behind one NAT) on this instance. */
	maxConnectionsPerAddress: 60,
	people: CALL_LIMITS.people as number,
	video: CALL_LIMITS.video as number,
	/** Bytes queued towards a slow socket before it is dropped (it would miss signals anyway). */
	maxBufferedBytes: 1024 * 1024
};

interface Peer {
	id: string;
	ws: WebSocket;
	room: string;
	seat: RoomSeat;
	ip: string;
	joinedAt: number;
	audio: boolean;
	video: boolean;
	buckets: Record<ClientMessage['t'], TokenBucket>;
}

export interface AttachedCalls {
	/** The peers of a room now, as the others see them. */
	peers(room: string): CallPeerInfo[];
	/** Re-checks every seat now and closes those that no longer hold. */
	revalidate(): Promise<void>;
	close(): Promise<void>;
}

const info = (p: Peer): CallPeerInfo => ({ id: p.id, name: p.seat.name, role: p.seat.role, audio: p.audio, video: p.video });

/**
 * The call signalling server, a sibling of the collaboration server on the same HTTP server: it answers
 * upgrades under `/call/<room>` and leaves every other upgrade alone. The same Origin check, the same
 * per-address cap (collab/connection-caps.ts) and token buckets (collab/budget.ts) per message type;
 * the seat from the room kind's policy (rooms.ts) is the only way into a room, and is checked again
 * while the call lasts.
 */
export function attachCalls(server: Server, options: CallOptions): AttachedCalls {
	const limits = { ...DEFAULT_CALL_LIMITS, ...options.limits };
	const log = options.log ?? (() => {});
	const now = options.now ?? (() => new Date());
	// Frames a little over the largest message reach the parser and close with 4413; far larger ones end in ws's own 1009.
	const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES + 4096, perMessageDeflate: false });
	const rooms = new Map<string, Map<string, Peer>>();
	const perAddress = new ConnectionCaps<string>(limits.maxConnectionsPerAddress);
	const addressOf = options.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
	const liveness = keepAlive(wss, limits.pingMs);

	const send = (p: Peer, msg: ServerMessage) => {
		if (p.ws.readyState !== WebSocket.OPEN) return;
		if (p.ws.bufferedAmount > limits.maxBufferedBytes) return p.ws.terminate();
		p.ws.send(JSON.stringify(msg));
	};
	const others = (p: Peer) => [...(rooms.get(p.room)?.values() ?? [])].filter((o) => o !== p);

	async function admit(ws: WebSocket, req: IncomingMessage, room: string, kind: { kind: string; id: string }, ip: string) {
		const db = await options.getDb();
		const caller = await options.identify(req, db);
		const seat = caller ? await seatFor(db, caller, kind) : null;
		if (!seat) {
			log('call_refused', { room, ip });
			return ws.close(CALL_CLOSE.forbidden, 'forbidden');
		}
		if (ws.readyState !== WebSocket.OPEN) return;
		// The room is looked up afresh after every wait: others are admitted meanwhile, and a room made
		// empty (or first made) by them is another Map than the one seen before.
		const members = () => rooms.get(room) ?? new Map<string, Peer>();
		// One seat per person: a second tab or device takes over and the first gives way.
		const sameSeat = () => [...members().values()].find((p) => p.seat.key === seat.key);
		const full = () => !sameSeat() && members().size >= limits.people;
		if (full()) return ws.close(CALL_CLOSE.roomFull, 'room full');
		const at = Date.now();
		const peer: Peer = {
			id: `p${randomBytes(8).toString('hex')}`,
			ws,
			room,
			seat,
			ip,
			joinedAt: at,
			audio: false,
			video: false,
			buckets: {
				sdp: new TokenBucket(MESSAGE_BUDGETS.sdp, at),
				ice: new TokenBucket(MESSAGE_BUDGETS.ice, at),
				state: new TokenBucket(MESSAGE_BUDGETS.state, at)
			}
		};
		try {
			await seat.joined(db, ip, now());
		} catch (err) {
			log('call_join_failed', { room, error: String(err) });
			return ws.close(CALL_CLOSE.failed, 'join failed');
		}
		const unjoin = () => void seat.left(db, ip, now(), 0).catch((err) => log('call_leave_failed', { room, error: String(err) }));
		if (ws.readyState !== WebSocket.OPEN) return unjoin();
		const previous = sameSeat();
		if (previous) {
			previous.ws.close(CALL_CLOSE.replaced, 'joined elsewhere');
			await leave(previous);
		}
		if (ws.readyState !== WebSocket.OPEN) return unjoin();
		// Others filled the room while this seat was being recorded.
		if (full()) {
			ws.close(CALL_CLOSE.roomFull, 'room full');
			return unjoin();
		}
		const current = members();
		current.set(peer.id, peer);
		rooms.set(room, current);
		ws.on('message', (data, isBinary) => onMessage(peer, data, isBinary));
		ws.on('close', () => void leave(peer));
		const ice = options.iceServers(peer.id);
		send(peer, { t: 'welcome', you: peer.id, peers: others(peer).map(info), ...ice });
		for (const o of others(peer)) send(o, { t: 'joined', peer: info(peer) });
		log('call_joined', { room, peer: peer.id, seat: seat.key });
	}

	async function leave(peer: Peer) {
		const members = rooms.get(peer.room);
		if (members?.get(peer.id) !== peer) return;
		members.delete(peer.id);
		if (members.size === 0) rooms.delete(peer.room);
		for (const o of members.values()) send(o, { t: 'left', id: peer.id });
		const seconds = Math.round((Date.now() - peer.joinedAt) / 1000);
		try {
			await peer.seat.left(await options.getDb(), peer.ip, now(), seconds);
		} catch (err) {
			log('call_leave_failed', { room: peer.room, error: String(err) });
		}
	}

	function onMessage(peer: Peer, data: WebSocket.RawData, isBinary: boolean) {
		if (isBinary) return peer.ws.close(CALL_CLOSE.badMessage, 'text only');
		const parsed = parseClientMessage(data.toString());
		if (!parsed.ok) {
			log('call_bad_message', { peer: peer.id, why: parsed.why, type: parsed.type });
			return peer.ws.close(parsed.why === 'too_big' ? CALL_CLOSE.tooBig : CALL_CLOSE.badMessage, parsed.why);
		}
		const msg = parsed.message;
		if (!peer.buckets[msg.t].take(1, Date.now())) {
			log('call_over_budget', { peer: peer.id, type: msg.t });
			return peer.ws.close(CALL_CLOSE.overBudget, 'over budget');
		}
		if (msg.t === 'state') {
			let video = msg.video;
			if (video && !peer.video && others(peer).filter((o) => o.video).length >= limits.video) {
				video = false;
				send(peer, { t: 'video_full' });
			}
			peer.audio = msg.audio;
			peer.video = video;
			for (const o of others(peer)) send(o, { t: 'state', id: peer.id, audio: peer.audio, video: peer.video });
			return;
		}
		// Signals go only to a peer of the same room; one for anyone else is dropped.
		const target = rooms.get(peer.room)?.get(msg.to);
		if (!target || target === peer) return;
		if (msg.t === 'sdp') send(target, { t: 'sdp', from: peer.id, sdp: msg.sdp });
		else send(target, { t: 'ice', from: peer.id, candidate: msg.candidate });
	}

	const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const path = (req.url ?? '').split('?')[0];
		if (!path.startsWith(CALL_PREFIX)) return;
		let name = '';
		try {
			name = decodeURIComponent(path.slice(CALL_PREFIX.length));
		} catch {
			/* refused below */
		}
		const room = parseRoomName(name);
		if (!room) return refuse(socket, 400, 'Bad Request');
		if (!options.checkOrigin(req)) return refuse(socket, 403, 'Forbidden');
		let ip: string;
		try {
			ip = addressOf(req);
		} catch {
			return refuse(socket, 400, 'Bad Request');
		}
		wss.handleUpgrade(req, socket, head, (ws) => {
			liveness.watch(ws);
			if (!perAddress.tryTake(ip)) {
				log('too_many_connections', { room: room.name, ip });
				return ws.close(CALL_CLOSE.tooManyConnections, 'too many connections');
			}
			ws.on('close', () => perAddress.release(ip));
			ws.on('error', (err) => log('call_socket_error', { error: String(err) }));
			admit(ws, req, room.name, room, ip).catch((err) => {
				log('call_admit_failed', { room: room.name, error: String(err) });
				ws.close(CALL_CLOSE.failed, 'failed');
			});
		});
	};
	server.on('upgrade', onUpgrade);

	let revalidating = false;
	async function revalidate() {
		if (revalidating) return;
		revalidating = true;
		try {
			const db = await options.getDb();
			const at = now();
			for (const members of rooms.values()) {
				for (const peer of [...members.values()]) {
					if (!(await peer.seat.stillValid(db, at))) peer.ws.close(CALL_CLOSE.forbidden, 'access ended');
				}
			}
		} catch (err) {
			log('call_revalidate_failed', { error: String(err) });
		} finally {
			revalidating = false;
		}
	}
	const revalidateTimer = setInterval(() => void revalidate(), limits.revalidateMs);
	revalidateTimer.unref();

	return {
		peers: (room) => [...(rooms.get(room)?.values() ?? [])].map(info),
		revalidate,
		async close() {
			server.off('upgrade', onUpgrade);
			clearInterval(revalidateTimer);
			liveness.stop();
			const closing = [...rooms.values()].flatMap((m) => [...m.values()]);
			for (const p of closing) p.ws.close(CALL_CLOSE.shutdown, 'server restarting');
			await Promise.all(closing.map((p) => leave(p)));
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}

function refuse(socket: Duplex, status: number, text: string): void {
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
