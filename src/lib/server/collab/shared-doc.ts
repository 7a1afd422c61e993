import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { attested, encodeAwarenessEntries, type AwarenessEntry } from './awareness-entries';
import type { CollabStore } from './persistence';
import { Fanout } from './fanout';
import type { CollabMetrics, Peer } from './peer';
import { encodeAwareness, encodeSyncStep1, MSG_SYNC, type ClientMessage } from './protocol';
import { InstanceLink, REMOTE_ORIGIN, STORED_ORIGIN } from './instance-link';
import type { CollabRelay, DocLink } from './relay';
import { RemoteContent } from './remote-content';
import { SavedAcks } from './saved-acks';
import { StoreQueue } from './store-queue';
import { checkUpdate, UpdateRejected, type UpdateLimits } from './update-guard';
import { checkSuggestion } from './suggestion-guard';
import { SuggestionBook, type BeforeUpdate } from './suggestion-book';
import type { SuggestionAuthor } from '../../shared/suggestion-id';
import * as string from 'lib0/string';

export type { CollabMetrics, Peer } from './peer';

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
	onDroppedReadOnlyUpdate(peer: Peer, why?: string): void;
	/**
	 * Who a read-only peer may suggest as (issue 15 §2), or null: it may not. Its updates are then
	 * applied only when they are purely its suggestions (suggestion-guard.ts). Absent: nobody may.
	 */
	suggester?(peer: Peer): SuggestionAuthor | null;
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
 * One live document: the Y.Doc, its awareness and its peers; what peers send is checked and applied
 * here, then sent out by the fan-out batcher (fanout.ts), stored by the store queue (store-queue.ts) and
 * acknowledged as saved by the book of acknowledgements (saved-acks.ts).
 *
 * With a relay (several instances), what this instance accepts from its peers also goes to the other
 * instances, once per fan-out, and what they accepted comes in with the "remote" origin: it is fanned
 * out here but stored by the instance that accepted it (see RemoteContent for when it dies first).
 */
export class SharedDoc {
	readonly ydoc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.ydoc);
	readonly peers = new Set<Peer>();
	private readonly acks: SavedAcks;
	/** Highest durably stored clock per client. */
	readonly stored: Map<number, number>;
	private readonly queue: StoreQueue<Peer>;
	private readonly fanout: Fanout;
	readonly remote: RemoteContent;
	private readonly link: InstanceLink | null;
	private destroyed = false;
	/** Open suggestions, to see which an update settles (set once the stored document is loaded). */
	private book: SuggestionBook | null = null;
	/** The peer update being applied now, when it may settle a suggestion, and the text before it. */
	private settling: { peer: Peer; before: BeforeUpdate } | null = null;
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
		this.acks = new SavedAcks(this.peers, options.metrics);
		this.stored = this.acks.stored;
		this.link = relay && new InstanceLink(this, relay, store, options.onRelayError);
		this.fanout = new Fanout(this, this.link, options.fanoutWindowMs, options.keepaliveMs, options.metrics);
		// The server holds no awareness state of its own.
		this.awareness.setLocalState(null);
		clearInterval((this.awareness as unknown as { _checkInterval: NodeJS.Timeout })._checkInterval);
		this.queue = new StoreQueue<Peer>({
			docName: name,
			store,
			initialRows,
			minIntervalMs: options.storeBatchMs,
			onStored: (batch, clocks) => {
				this.acks.setStoreDown(false);
				this.acks.storedBatch(batch, clocks);
				this.link?.publishStored(clocks);
				this.remote.settle();
			},
			onError: (err) => {
				this.acks.setStoreDown(true);
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
			const accepted = origin !== REMOTE_ORIGIN && origin !== STORED_ORIGIN;
			this.fanout.update(update, accepted);
			// A peer's update was looked at before it was applied (handle); anything else is looked at now.
			const settling = this.settling?.peer === origin ? this.settling : null;
			if (!settling && !this.peers.has(origin as Peer)) this.book?.applied(update);
			if (!accepted) {
				if (origin === REMOTE_ORIGIN) this.remote.add(update);
				return;
			}
			const settled = settling ? this.book?.settledBy(settling.before, settling.peer.userId) : undefined;
			this.queue.push({ update, origin: (origin as Peer) ?? null, at: performance.now(), settled: settled?.length ? settled : undefined });
		});
		this.awareness.on('change', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
			this.fanout.awarenessChanged([...added, ...updated, ...removed], origin !== REMOTE_ORIGIN);
		});
		this.awareness.on('update', ({ updated }: AwarenessChange) => this.fanout.awarenessRenewed(updated));
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
		loaded.acks.loaded(loaded.ydoc);
		loaded.book = new SuggestionBook(loaded.ydoc);
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
		this.acks.welcome(peer);
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
				this.acks.answerSync(peer, message.stateVector);
				return;
			}
			case 'update': {
				if (!peer.canWrite) {
					const author = this.options.suggester?.(peer) ?? null;
					const verdict = author ? checkSuggestion(this.ydoc, message.update, author) : { ok: false as const, why: 'read-only' };
					if (!verdict.ok) {
						this.options.onDroppedReadOnlyUpdate(peer, verdict.why);
						return;
					}
				}
				// Decoding it whole validates the frame before anything is applied.
				const summary = checkUpdate(message.update, this.knownClock, this.options.updateLimits);
				if (summary.hasStructs) this.checkSize(message.update.length);
				for (const client of summary.clients) peer.writtenClients.add(client);
				const before = this.book?.before(summary.touch) ?? null;
				this.settling = before && { peer, before };
				try {
					Y.applyUpdate(this.ydoc, message.update, peer);
				} finally {
					this.settling = null;
				}
				this.options.metrics?.updateIn();
				this.acks.received(peer, this.queue.size === 0);
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
		this.fanout.stop();
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

	/** Awareness clients of this instance's peers. */
	localPresence(): Set<number> {
		const local = new Set<number>();
		for (const peer of this.peers) for (const c of peer.awarenessClients) local.add(c);
		return local;
	}

	/** Another instance stored these clients' edits (instance-link.ts). */
	acknowledgeWriters(clients: Iterable<number>): void {
		this.acks.acknowledgeWriters(clients);
	}
}

const LOAD_ORIGIN = Symbol('load');

interface AwarenessChange {
	added: number[];
	updated: number[];
	removed: number[];
}
