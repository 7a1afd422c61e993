import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { attested, encodeAwarenessEntries, type AwarenessEntry } from './awareness-entries';
import type { CollabStore } from './persistence';
import { encodeAwareness, encodeSaved, encodeStoreStatus, encodeSyncStep1, encodeUpdate, MSG_SYNC, type ClientMessage } from './protocol';
import { InstanceLink, raise, REMOTE_ORIGIN, STORED_ORIGIN } from './instance-link';
import type { CollabRelay, DocLink } from './relay';
import { RemoteContent } from './remote-content';
import { StoreQueue, type QueuedUpdate } from './store-queue';
import { checkUpdate, UpdateRejected, type UpdateLimits } from './update-guard';
import { frameMessages } from './wire';
import * as string from 'lib0/string';

/** A connection as a document sees it. */
export interface Peer {
	readonly id: number;
	readonly canWrite: boolean;
	send(frame: Uint8Array): void;
	/** Sends messages framed once for every peer (wire.ts). */
	sendFramed(framed: Uint8Array): void;
	/** Clients whose edits this peer has sent (acknowledged to it when stored). */
	readonly writtenClients: Set<number>;
	/** Awareness client ids this peer speaks for (removed when it leaves). */
	readonly awarenessClients: Set<number>;
	/** The awareness `user` the server attests for this peer; null: none (shown as the client says). */
	readonly identity: Readonly<Record<string, unknown>> | null;
}

/** What an operator watches (src/lib/server/health/metrics.ts counts these for /metrics). */
export interface CollabMetrics {
	/** An update from a peer applied to a document. */
	updateIn(): void;
	/** Updates sent out: one per peer a fan-out frame carrying document updates went to. */
	updatesOut(peers: number): void;
	/** From receiving a peer's update to acknowledging it as stored, in ms. */
	savedAck(ms: number): void;
}

export interface SharedDocOptions {
	metrics?: CollabMetrics;
	/** At most one fan-out per window; the first change after a quiet window goes out at once. */
	fanoutWindowMs: number;
	/** At most one append to the store per this many ms (group commit); the first after a pause at once. */
	storeBatchMs: number;
	keepaliveMs: number;
	/** Content from another instance not reported stored within this many ms is stored here too. */
	remoteStoreGraceMs: number;
	/** What a writer's update may claim, and the record's size cap (update-guard.ts). */
	updateLimits: UpdateLimits;
	/** Presence a peer may publish: client ids per peer, bytes per state. */
	awarenessLimits: AwarenessLimits;
	onDroppedReadOnlyUpdate(peer: Peer): void;
	/** Presence entries dropped: someone else's, over the per-peer count, or over the size cap. */
	onDroppedAwareness(peer: Peer, dropped: number, why: string): void;
	onStoreError(err: unknown): void;
	/** A message from another instance could not be applied, or a resync failed. */
	onRelayError(err: unknown): void;
	/** Called when the last peer has left and everything is stored. */
	onIdle(doc: SharedDoc): void;
}

export interface AwarenessLimits {
	/** Client ids one peer may speak for (a tab has one; a reload within the same socket never happens). */
	maxClientsPerPeer: number;
	/** Bytes of one client's JSON state (the attested user and a cursor are a few hundred). */
	maxStateBytes: number;
}

export const DEFAULT_AWARENESS_LIMITS: AwarenessLimits = { maxClientsPerPeer: 4, maxStateBytes: 8 * 1024 };

/**
 * One live document: the Y.Doc, its awareness, its peers, the fan-out and the store queue.
 * Updates and awareness changes are sent out at most once per `fanoutWindowMs`: a change after a
 * quiet window goes out once the current I/O is read (no added wait), changes that come faster are
 * collected until the window ends. Each batch is encoded and framed once and written to every peer.
 * Clock-only awareness renewals are not rebroadcast one by one: they are folded into one keepalive
 * message per document every `keepaliveMs`.
 *
 * With a relay (several instances), what this instance accepts from its peers also goes to the other
 * instances, once per fan-out, and what they accepted comes in with the "remote" origin: it is fanned
 * out here but stored by the instance that accepted it (see RemoteContent for when it dies first).
 */
export class SharedDoc {
	readonly ydoc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.ydoc);
	readonly peers = new Set<Peer>();
	/** Highest durably stored clock per client. */
	readonly stored = new Map<number, number>();
	private readonly queue: StoreQueue<Peer>;
	private outUpdates: Uint8Array[] = [];
	/** Of the updates in this window, those accepted here (for the relay), and whether others came in. */
	private relayUpdates: Uint8Array[] = [];
	private remoteInWindow = false;
	private outAwareness = new Set<number>();
	private relayAwareness = new Set<number>();
	private renewed = new Set<number>();
	readonly remote: RemoteContent;
	private readonly link: InstanceLink | null;
	/** Whether storing fails now (told to peers, whose "saved" is withheld meanwhile). */
	private storeDown = false;
	private awaitingAck = new Set<Peer>();
	private fanoutTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
	private lastFanout = -Infinity;
	private readonly keepaliveTimer: NodeJS.Timeout;
	private destroyed = false;
	/**
	 * An upper bound of the encoded record's size: exact when computed, plus every update applied since
	 * (merged and collected content makes the real size smaller). Encoding the whole record on every
	 * keystroke would cost the hot path; it is encoded again only when this bound nears the cap.
	 */
	private sizeBound = 0;

	get closed(): boolean {
		return this.destroyed;
	}

	private constructor(
		readonly name: string,
		private readonly store: CollabStore,
		initialRows: number,
		private readonly options: SharedDocOptions,
		relay: DocLink | null
	) {
		this.link = relay && new InstanceLink(this, relay, store, options.onRelayError);
		// The server holds no awareness state of its own.
		this.awareness.setLocalState(null);
		clearInterval((this.awareness as unknown as { _checkInterval: NodeJS.Timeout })._checkInterval);
		this.queue = new StoreQueue<Peer>({
			docName: name,
			store,
			initialRows,
			minIntervalMs: options.storeBatchMs,
			onStored: (batch, clocks) => {
				this.setStoreDown(false);
				this.acknowledge(batch, clocks);
			},
			onError: (err) => {
				this.setStoreDown(true);
				options.onStoreError(err);
			}
		});
		this.remote = new RemoteContent(this.stored, options.remoteStoreGraceMs, (update) =>
			this.queue.push({ update, origin: null, at: performance.now() })
		);
		this.ydoc.on('update', (update: Uint8Array, origin: unknown) => {
			this.sizeBound += update.length;
			if (origin === LOAD_ORIGIN) return;
			// Fan-out first: the store's append (PGlite runs on this thread) starts after it.
			this.outUpdates.push(update);
			this.scheduleFanout();
			if (origin === REMOTE_ORIGIN || origin === STORED_ORIGIN) {
				this.remoteInWindow = true;
				if (origin === REMOTE_ORIGIN) this.remote.add(update);
				return;
			}
			this.relayUpdates.push(update);
			this.queue.push({ update, origin: (origin as Peer) ?? null, at: performance.now() });
		});
		this.awareness.on('change', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
			for (const c of [...added, ...updated, ...removed]) {
				this.outAwareness.add(c);
				if (origin !== REMOTE_ORIGIN) this.relayAwareness.add(c);
			}
			this.scheduleFanout();
		});
		this.awareness.on('update', ({ updated }: AwarenessChange) => {
			for (const c of updated) this.renewed.add(c);
		});
		this.keepaliveTimer = setInterval(() => this.keepalive(), options.keepaliveMs);
		this.keepaliveTimer.unref();
	}

	static async load(name: string, store: CollabStore, options: SharedDocOptions, relay?: CollabRelay): Promise<SharedDoc> {
		// Subscribe before reading the store, so nothing accepted elsewhere in between is missed; what
		// arrives meanwhile is applied once the document exists.
		let doc: SharedDoc | null = null;
		const early: ((d: SharedDoc) => void)[] = [];
		const on = (f: (d: SharedDoc) => void) => (doc ? f(doc) : early.push(f));
		const link = relay
			? await relay.join(name, {
					update: (u) => on((d) => d.link?.applyUpdate(u)),
					awareness: (u) => on((d) => d.link?.applyAwareness(u)),
					stored: (clocks) => on((d) => d.link?.stored(clocks)),
					syncRequest: (sv) => on((d) => d.link?.answerSync(sv)),
					resync: () => on((d) => void d.link?.resync())
				})
			: null;
		let stored;
		try {
			stored = await store.load(name);
		} catch (err) {
			link?.leave();
			throw err;
		}
		doc = new SharedDoc(name, store, stored.updates.length, options, link);
		const loaded = doc;
		// Loading is not an edit: apply with the "load" origin before listeners see anything new.
		loaded.ydoc.transact(() => {
			if (stored.state) Y.applyUpdate(loaded.ydoc, stored.state, LOAD_ORIGIN);
			for (const u of stored.updates) Y.applyUpdate(loaded.ydoc, u, LOAD_ORIGIN);
		}, LOAD_ORIGIN);
		for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(loaded.ydoc))) loaded.stored.set(client, clock);
		loaded.sizeBound = Y.encodeStateAsUpdate(loaded.ydoc).length;
		for (const f of early) f(loaded);
		// Other instances holding this document send what is not stored yet.
		loaded.link?.requestSync();
		return loaded;
	}

	get storing(): boolean {
		return this.queue.size > 0;
	}

	get storeFailing(): boolean {
		return this.queue.failing;
	}

	addPeer(peer: Peer): void {
		this.peers.add(peer);
		peer.send(encodeSyncStep1(this.ydoc));
		if (this.storeDown) peer.send(encodeStoreStatus(true));
		const states = [...this.awareness.getStates().keys()];
		if (states.length > 0) peer.send(encodeAwareness(this.awareness, states));
	}

	removePeer(peer: Peer): void {
		if (!this.peers.delete(peer)) return;
		const clients = [...peer.awarenessClients].filter((c) => this.awareness.getStates().has(c));
		if (clients.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, clients, peer);
		if (this.peers.size === 0) void this.queue.flush().then(() => this.peers.size === 0 && this.options.onIdle(this));
	}

	/** Applies one parsed client message. Throws on content that cannot be applied. */
	handle(peer: Peer, message: ClientMessage): void {
		switch (message.type) {
			case 'sync-step1': {
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, MSG_SYNC);
				syncProtocol.writeSyncStep2(e, this.ydoc, message.stateVector);
				peer.send(encoding.toUint8Array(e));
				// What of the peer's own content is stored already: edits stored just before a crash or a
				// dropped connection were never acknowledged, and re-sending them adds nothing to store,
				// so without this the peer would wait for an acknowledgement that never comes.
				const stored: [number, number][] = [];
				for (const client of Y.decodeStateVector(message.stateVector).keys()) {
					const clock = this.stored.get(client);
					if (clock !== undefined) stored.push([client, clock]);
				}
				if (stored.length > 0) peer.send(encodeSaved(stored));
				return;
			}
			case 'update': {
				if (!peer.canWrite) {
					this.options.onDroppedReadOnlyUpdate(peer);
					return;
				}
				// Decoding it whole validates the frame before anything is applied.
				const summary = checkUpdate(message.update, this.knownClock, this.options.updateLimits);
				if (summary.hasStructs) this.checkSize(message.update.length);
				for (const client of summary.clients) peer.writtenClients.add(client);
				Y.applyUpdate(this.ydoc, message.update, peer);
				this.options.metrics?.updateIn();
				// Edits the server already had (e.g. re-sent after a reconnect) are acknowledged as soon
				// as nothing is waiting to be stored.
				if (this.queue.size === 0) this.sendSaved(peer);
				else this.awaitingAck.add(peer);
				return;
			}
			case 'awareness':
				this.applyAwareness(peer, message.update);
				return;
			case 'query-awareness': {
				const states = [...this.awareness.getStates().keys()];
				peer.send(encodeAwareness(this.awareness, states));
				return;
			}
		}
	}

	/** Stores everything pending, including other instances' content not yet reported stored; used on shutdown. */
	flush(): Promise<void> {
		this.remote.storeAll();
		return this.queue.flush();
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		this.queue.stop();
		this.remote.stop();
		this.link?.leave();
		clearInterval(this.keepaliveTimer);
		if (this.fanoutTimer) {
			clearTimeout(this.fanoutTimer as NodeJS.Timeout);
			clearImmediate(this.fanoutTimer as NodeJS.Immediate);
		}
		this.awareness.destroy();
		this.ydoc.destroy();
	}

	private readonly knownClock = (client: number): number | undefined =>
		this.ydoc.store.clients.has(client) ? Y.getState(this.ydoc.store, client) : undefined;

	/** Throws when content of `bytes` more would push the record past its cap. */
	private checkSize(bytes: number): void {
		const cap = this.options.updateLimits.maxRecordBytes;
		if (this.sizeBound + bytes <= cap) return;
		this.sizeBound = Y.encodeStateAsUpdate(this.ydoc).length;
		if (this.sizeBound + bytes > cap) throw new UpdateRejected('too-large', `record ${this.sizeBound} B + update ${bytes} B over ${cap} B`);
	}

	/**
	 * Decoded here rather than by y-protocols' applyAwarenessUpdate, which applies every entry of a frame
	 * with no say for the server: a peer speaks only for its own clients (at most a few, each state
	 * capped in size), never overwrites or removes anyone else's presence, and shows its attested user.
	 */
	private applyAwareness(peer: Peer, update: Uint8Array): void {
		const { maxClientsPerPeer, maxStateBytes } = this.options.awarenessLimits;
		const d = decoding.createDecoder(update);
		const n = decoding.readVarUint(d);
		// An honest frame holds the client's own id, or the removal of peers it timed out (dropped below
		// as someone else's anyway): a long frame is dropped before any of it is parsed.
		if (n > maxClientsPerPeer * 16) return this.options.onDroppedAwareness(peer, n, 'too many entries');
		const entries: AwarenessEntry[] = [];
		const claimed = new Set(peer.awarenessClients);
		let rewrite = false;
		let dropped = 0;
		for (let i = 0; i < n; i++) {
			const client = decoding.readVarUint(d);
			const clock = decoding.readVarUint(d);
			const bytes = decoding.readVarUint8Array(d);
			if (bytes.length > maxStateBytes) {
				dropped++;
				rewrite = true;
				continue;
			}
			let state: unknown = JSON.parse(string.decodeUtf8(bytes));
			if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('awareness state is not an object');
			if (!claimed.has(client)) {
				if (this.ownedElsewhere(client, peer)) return this.options.onDroppedAwareness(peer, n, "someone else's presence");
				// Removing a presence that is already gone changes nothing and claims nothing.
				if (state === null && !this.awareness.getStates().has(client)) {
					rewrite = true;
					continue;
				}
				if (claimed.size >= maxClientsPerPeer) {
					dropped++;
					rewrite = true;
					continue;
				}
			}
			// Honest clients publish exactly their attested user, so the frame is applied as it came;
			// anything else is re-encoded with the attested user in its place.
			if (state !== null && peer.identity && !attested((state as { user?: unknown }).user, peer.identity)) {
				state = { ...state, user: peer.identity };
				rewrite = true;
			}
			claimed.add(client);
			entries.push({ client, clock, state });
		}
		if (dropped > 0) this.options.onDroppedAwareness(peer, dropped, 'over the per-peer count or size');
		if (entries.length === 0) return;
		for (const { client } of entries) peer.awarenessClients.add(client);
		awarenessProtocol.applyAwarenessUpdate(this.awareness, rewrite ? encodeAwarenessEntries(entries) : update, peer);
	}

	/**
	 * Whether a presence belongs to someone other than this peer: another peer here, or a person on
	 * another instance (a client that moved here from another instance is the same attested person).
	 */
	private ownedElsewhere(client: number, peer: Peer): boolean {
		for (const other of this.peers) if (other !== peer && other.awarenessClients.has(client)) return true;
		const state = this.awareness.getStates().get(client) as { user?: unknown } | undefined;
		return state !== undefined && !(peer.identity && attested(state.user, peer.identity));
	}

	private scheduleFanout(): void {
		if (this.fanoutTimer || this.destroyed) return;
		const wait = this.lastFanout + this.options.fanoutWindowMs - performance.now();
		this.fanoutTimer = wait > 0 ? setTimeout(() => this.fanout(), wait) : setImmediate(() => this.fanout());
	}

	private fanout(): void {
		this.fanoutTimer = null;
		this.lastFanout = performance.now();
		const frames: Uint8Array[] = [];
		if (this.outUpdates.length > 0) {
			const merged = merge(this.outUpdates);
			frames.push(encodeUpdate(merged));
			this.options.metrics?.updatesOut(this.peers.size);
			if (this.link && this.relayUpdates.length > 0) this.link.publishUpdate(this.remoteInWindow ? merge(this.relayUpdates) : merged);
			this.outUpdates = [];
			this.relayUpdates = [];
			this.remoteInWindow = false;
		}
		if (this.outAwareness.size > 0) {
			frames.push(encodeAwareness(this.awareness, [...this.outAwareness]));
			this.link?.publishPresence([...this.relayAwareness]);
			for (const c of this.outAwareness) this.renewed.delete(c);
			this.outAwareness.clear();
			this.relayAwareness.clear();
		}
		if (frames.length === 0) return;
		const framed = frameMessages(frames);
		for (const peer of this.peers) peer.sendFramed(framed);
	}

	/** One message per document keeps idle clients' connections and their peers' presence alive. */
	private keepalive(): void {
		const clients = [...this.renewed].filter((c) => this.awareness.getStates().has(c));
		this.renewed.clear();
		const framed = frameMessages([encodeAwareness(this.awareness, clients)]);
		for (const peer of this.peers) peer.sendFramed(framed);
		this.link?.keepalive(clients);
	}

	/** Awareness clients of this instance's peers. */
	localPresence(): Set<number> {
		const local = new Set<number>();
		for (const peer of this.peers) for (const c of peer.awarenessClients) local.add(c);
		return local;
	}

	acknowledgeWriters(clients: Iterable<number>): void {
		const written = [...clients];
		for (const peer of this.peers) if (written.some((c) => peer.writtenClients.has(c))) this.sendSaved(peer);
	}

	/** Tells peers when storing starts or stops failing (their "saved" is withheld while it fails). */
	private setStoreDown(down: boolean): void {
		if (this.storeDown === down) return;
		this.storeDown = down;
		const frame = encodeStoreStatus(down);
		for (const peer of this.peers) peer.send(frame);
	}

	private acknowledge(batch: QueuedUpdate<Peer>[], clocks: Map<number, number>): void {
		raise(this.stored, clocks);
		this.link?.publishStored(clocks);
		this.remote.settle();
		const peers = new Set<Peer>(this.awaitingAck);
		this.awaitingAck.clear();
		const now = performance.now();
		for (const { origin, at } of batch) {
			if (!origin) continue;
			peers.add(origin);
			this.options.metrics?.savedAck(now - at);
		}
		for (const peer of peers) if (this.peers.has(peer)) this.sendSaved(peer);
	}

	private sendSaved(peer: Peer): void {
		const entries: [number, number][] = [];
		for (const client of peer.writtenClients) {
			const clock = this.stored.get(client);
			if (clock !== undefined) entries.push([client, clock]);
		}
		if (entries.length > 0) peer.send(encodeSaved(entries));
	}
}

const LOAD_ORIGIN = Symbol('load');

const merge = (updates: Uint8Array[]) => (updates.length === 1 ? updates[0] : Y.mergeUpdates(updates));

interface AwarenessChange {
	added: number[];
	updated: number[];
	removed: number[];
}
