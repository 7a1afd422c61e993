import * as Y from 'yjs';
import { raise } from './instance-link';
import { encodeSaved, encodeStoreStatus } from './protocol';
import type { CollabMetrics, Peer } from './peer';
import type { QueuedUpdate } from './store-queue';

/** At most this many clients a peer is told about through its syncs (see answerSync). */
const MAX_CLAIMED_CLIENTS = 32;

/**
 * A document's book of "saved" acknowledgements (message type 7): the highest stored clock per client,
 * and which peer is told what once it is stored. A peer is acknowledged only for clients whose edits it
 * sent, and only for what is stored; while storing fails, peers are told so and nothing is acknowledged.
 */
export class SavedAcks {
	/** Highest durably stored clock per client. */
	readonly stored = new Map<number, number>();
	/** Peers whose update came in while others waited to be stored: acknowledged with the next store. */
	private readonly awaiting = new Set<Peer>();
	/** Whether storing fails now (told to peers, whose "saved" is withheld meanwhile). */
	private storeDown = false;

	constructor(
		private readonly peers: ReadonlySet<Peer>,
		private readonly metrics?: CollabMetrics
	) {}

	/** Everything in `doc` is stored (it was just loaded from the store). */
	loaded(doc: Y.Doc): void {
		for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) this.stored.set(client, clock);
	}

	/** A new peer learns whether storing fails now. */
	welcome(peer: Peer): void {
		if (this.storeDown) peer.send(encodeStoreStatus(true));
	}

	/**
	 * What of the peer's own content (its sync step 1's state vector) is stored already: edits stored just
	 * before a crash or a dropped connection were never acknowledged, and re-sending them adds nothing to
	 * store, so without this the peer would wait for an acknowledgement that never comes.
	 */
	answerSync(peer: Peer, stateVector: Uint8Array): void {
		const stored: [number, number][] = [];
		for (const [client, has] of Y.decodeStateVector(stateVector)) {
			const clock = this.stored.get(client);
			if (clock !== undefined) stored.push([client, clock]);
			// The peer holds edits of this client that are not stored yet. They may reach the server through
			// another peer first (a panelist relays the mediator's edits he saw before a crash), and then this
			// peer's own sync adds nothing: it is told when they are stored, as their writer is. Bounded, so
			// made-up state vectors, however many, cannot grow the set.
			if ((clock ?? 0) < has && peer.writtenClients.size < MAX_CLAIMED_CLIENTS) peer.writtenClients.add(client);
		}
		if (stored.length > 0) peer.send(encodeSaved(stored));
	}

	/**
	 * A peer's update was applied. Edits the server already had (e.g. re-sent after a reconnect) are
	 * acknowledged as soon as nothing is waiting to be stored.
	 */
	received(peer: Peer, nothingPending: boolean): void {
		if (nothingPending) this.send(peer);
		else this.awaiting.add(peer);
	}

	/** A batch is stored up to `clocks`: every peer that wrote in it (or waited) is told. */
	storedBatch(batch: QueuedUpdate<Peer>[], clocks: Map<number, number>): void {
		raise(this.stored, clocks);
		const peers = new Set<Peer>(this.awaiting);
		this.awaiting.clear();
		const now = performance.now();
		for (const { origin, at } of batch) {
			if (!origin) continue;
			peers.add(origin);
			this.metrics?.savedAck(now - at);
		}
		// Also writers of these clients whose edits came in through another peer (see answerSync).
		for (const peer of this.writersOf(clocks.keys())) peers.add(peer);
		for (const peer of peers) if (this.peers.has(peer)) this.send(peer);
	}

	/** Another instance stored these clients' edits: their writers here are told. */
	acknowledgeWriters(clients: Iterable<number>): void {
		for (const peer of this.writersOf(clients)) this.send(peer);
	}

	/** The peers that sent (or hold unstored) edits of any of these clients. */
	private writersOf(clients: Iterable<number>): Peer[] {
		const written = [...clients];
		return [...this.peers].filter((peer) => written.some((c) => peer.writtenClients.has(c)));
	}

	/** Tells peers when storing starts or stops failing (their "saved" is withheld while it fails). */
	setStoreDown(down: boolean): void {
		if (this.storeDown === down) return;
		this.storeDown = down;
		const frame = encodeStoreStatus(down);
		for (const peer of this.peers) peer.send(frame);
	}

	private send(peer: Peer): void {
		const entries: [number, number][] = [];
		for (const client of peer.writtenClients) {
			const clock = this.stored.get(client);
			if (clock !== undefined) entries.push([client, clock]);
		}
		if (entries.length > 0) peer.send(encodeSaved(entries));
	}
}
