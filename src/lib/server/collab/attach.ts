import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { DEFAULT_BUDGETS } from './budget';
import { CLOSE, Connection, type ConnectionLimits, type Grant } from './connection';
import { ConnectionCaps } from './connection-caps';
import { keepAlive } from './keep-alive';
import type { CollabServer } from './api';
import { StoreDirectDocument } from './direct-document';
import { parseDocName, type DocName } from './doc-name';
import type { CollabStore } from './persistence';
import { DocRegistry } from './registry';
import type { CollabRelay } from './relay';
import { DEFAULT_AWARENESS_LIMITS, type AwarenessLimits, type CollabMetrics, type SharedDocOptions } from './shared-doc';
import { partySuggester } from './suggestion-guard';
import { DEFAULT_UPDATE_LIMITS, type UpdateLimits } from './update-guard';

export const COLLAB_PREFIX = '/collab/';

export interface CollabOptions {
	/** Who a read-only peer may suggest as (shared-doc.ts); default: a peer attested as a party. */
	suggester?: SharedDocOptions['suggester'];
	store: CollabStore;
	/** Same-origin check on the upgrade request (SvelteKit's CSRF check does not cover WebSockets). */
	checkOrigin(req: IncomingMessage): boolean;
	/** Who is asking and what they may do with this document; null refuses. */
	authenticate(req: IncomingMessage, doc: DocName): Promise<Grant | null>;
	/** For each open grant, whether it still holds (session alive, still on the case). */
	revalidate(grants: { grant: Grant; doc: DocName }[]): Promise<boolean[]>;
	/** The client's address for the per-address cap (default: the socket's peer; see ../start-collab.ts behind a proxy). */
	clientAddress?(req: IncomingMessage): string;
	log?(event: string, detail: Record<string, unknown>): void;
	metrics?: CollabMetrics;
	/** Shares live documents with other instances (redis-relay.ts); closed with the server. */
	relay?: CollabRelay;
	limits?: Partial<
		ConnectionLimits & {
			maxFrameBytes: number;
			revalidateMs: number;
			unloadAfterMs: number;
			fanoutWindowMs: number;
			storeBatchMs: number;
			keepaliveMs: number;
			pingMs: number;
			remoteStoreGraceMs: number;
			/** Sockets one person may hold open on this instance. */
			maxConnectionsPerUser: number;
			/** Sockets one client address may hold open on this instance (people behind one NAT share it). */
			maxConnectionsPerAddress: number;
			update: UpdateLimits;
			awareness: AwarenessLimits;
		}
	>;
}

/** The public API (api.ts), and the parts white-box tests of this folder look into. */
export interface AttachedCollab extends CollabServer {
	readonly registry: DocRegistry;
	readonly relay: CollabRelay | null;
	readonly connections: Set<Connection>;
}

export const DEFAULT_LIMITS = {
	maxQueuedFrames: 100,
	// An editor back from offline sends its sync step and one update of its offline work (a frame at most).
	maxQueuedBytes: 4 * 1024 * 1024,
	authTimeoutMs: 10_000,
	maxBufferedBytes: 8 * 1024 * 1024,
	maxFrameBytes: 2 * 1024 * 1024,
	revalidateMs: 2_000,
	unloadAfterMs: 10_000,
	// bench:collab on a quiet machine, N=200 p99: 10.4 ms at 8 ms, 6.2 ms at 4, 6.1 ms at 2, at the same CPU.
	fanoutWindowMs: 4,
	storeBatchMs: 20,
	keepaliveMs: 12_000,
	pingMs: 30_000,
	remoteStoreGraceMs: 3_000,
	budgets: DEFAULT_BUDGETS,
	// A person has a record and an agreement open in a few tabs; 300 sockets of one person is an attack.
	maxConnectionsPerUser: 20,
	// A township office or a village behind one carrier NAT: a few dozen people, each with a few tabs.
	maxConnectionsPerAddress: 200,
	update: DEFAULT_UPDATE_LIMITS,
	awareness: DEFAULT_AWARENESS_LIMITS
};

/**
 * Attaches the collaboration server to an HTTP server: it answers WebSocket upgrades under
 * `/collab/` and leaves every other upgrade (e.g. Vite's HMR socket) alone.
 */
export function attachCollab(server: Server, options: CollabOptions): AttachedCollab {
	const limits = { ...DEFAULT_LIMITS, ...options.limits };
	const log = options.log ?? (() => {});
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false });
	const liveness = keepAlive(wss, limits.pingMs);
	const connections = new Set<Connection>();
	const registry = new DocRegistry(
		options.store,
		{
			metrics: options.metrics,
			fanoutWindowMs: limits.fanoutWindowMs,
			storeBatchMs: limits.storeBatchMs,
			keepaliveMs: limits.keepaliveMs,
			remoteStoreGraceMs: limits.remoteStoreGraceMs,
			updateLimits: limits.update,
			awarenessLimits: limits.awareness,
			onDroppedReadOnlyUpdate: (peer, why) => log('read_only_update_dropped', { peer: peer.id, why }),
			suggester: options.suggester ?? partySuggester,
			onDroppedAwareness: (peer, dropped, why) => log('awareness_dropped', { peer: peer.id, dropped, why }),
			onStoreError: (err) => log('store_failed', { error: String(err) }),
			onRelayError: (err) => log('relay_failed', { error: String(err) })
		},
		limits.unloadAfterMs,
		log,
		options.relay
	);

	const perUser = new ConnectionCaps<number>(limits.maxConnectionsPerUser);
	const perAddress = new ConnectionCaps<string>(limits.maxConnectionsPerAddress);
	const addressOf = options.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');

	const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const path = (req.url ?? '').split('?')[0];
		if (!path.startsWith(COLLAB_PREFIX)) return;
		let doc: DocName | null = null;
		try {
			doc = parseDocName(decodeURIComponent(path.slice(COLLAB_PREFIX.length)));
		} catch {
			/* an undecodable name is refused below */
		}
		if (!doc) return refuse(socket, 400, 'Bad Request');
		const docName = doc.name;
		if (!options.checkOrigin(req)) return refuse(socket, 403, 'Forbidden');
		let address: string;
		try {
			address = addressOf(req);
		} catch {
			return refuse(socket, 400, 'Bad Request');
		}
		wss.handleUpgrade(req, socket, head, (ws) => {
			liveness.watch(ws);
			// Over the cap the socket still opens, to be closed with a code the editor shows and does not
			// retry: a refused upgrade reads as a network failure, which y-websocket retries for ever.
			if (!perAddress.tryTake(address)) {
				log('too_many_connections', { docName, address });
				ws.close(CLOSE.tooManyConnections, 'too many connections');
				return;
			}
			const connection = new Connection(ws, socket, doc, limits, {
				authenticate: () => options.authenticate(req, doc),
				admit: (grant) => {
					if (perUser.tryTake(grant.userId)) return true;
					log('too_many_connections', { docName, userId: grant.userId });
					return false;
				},
				openDoc: () => registry.open(docName),
				onClose: (c) => {
					connections.delete(c);
					perAddress.release(address);
					if (c.grant) perUser.release(c.grant.userId);
				},
				log
			});
			connections.add(connection);
		});
	};
	server.on('upgrade', onUpgrade);

	let revalidating = false;
	const revalidateNow = async () => {
		if (revalidating) return;
		revalidating = true;
		try {
			const open = [...connections].filter((c) => c.grant);
			if (open.length === 0) return;
			const verdicts = await options.revalidate(open.map((c) => ({ grant: c.grant!, doc: c.name })));
			open.forEach((c, i) => {
				if (!verdicts[i]) c.close(CLOSE.forbidden, 'access ended');
			});
		} catch (err) {
			log('revalidate_failed', { error: String(err) });
		} finally {
			revalidating = false;
		}
	};
	const revalidateTimer = setInterval(() => void revalidateNow(), limits.revalidateMs);
	revalidateTimer.unref();

	return {
		registry,
		relay: options.relay ?? null,
		connections,
		document: (name) => new StoreDirectDocument(name, options.store, registry),
		connected: (docName) => [...connections].filter((c) => c.docName === docName && c.grant).map((c) => ({ userId: c.grant!.userId, access: c.grant!.access })),
		closePeers(docName, access) {
			let closed = 0;
			for (const c of connections) {
				if (c.docName !== docName || (access && c.grant?.access !== access)) continue;
				c.close(CLOSE.forbidden, 'access ended');
				closed++;
			}
			return closed;
		},
		recheckAccess: revalidateNow,
		stats: () => ({ documents: registry.docs.size, connections: connections.size }),
		async close() {
			server.off('upgrade', onUpgrade);
			clearInterval(revalidateTimer);
			liveness.stop();
			await registry.flushAll();
			for (const c of connections) c.close(CLOSE.shutdown, 'server restarting');
			await registry.destroyAll();
			await options.relay?.close();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}

function refuse(socket: Duplex, status: number, text: string): void {
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
