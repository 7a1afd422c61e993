import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CollabStore } from './persistence';
import type { DocLink } from './relay';
import type { RemoteContent } from './remote-content';

/** Content another instance accepted: fanned out here, stored there. */
export const REMOTE_ORIGIN = Symbol('remote');
/** Content read back from the store in a resync: stored already. */
export const STORED_ORIGIN = Symbol('stored');
/** Another instance's presence not renewed for this long is dropped here (it renews every keepalive). */
const REMOTE_PRESENCE_TIMEOUT_MS = 45_000;

/** What of a live document the link to other instances reads and changes (see SharedDoc). */
export interface LinkedDoc {
	readonly name: string;
	readonly ydoc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	/** Highest stored clock per client, whoever stored it. */
	readonly stored: Map<number, number>;
	readonly remote: RemoteContent;
	readonly closed: boolean;
	/** Awareness clients of this instance's own peers. */
	localPresence(): Set<number>;
	/** Tells this instance's peers who wrote any of `clients` what of theirs is stored. */
	acknowledgeWriters(clients: Iterable<number>): void;
}

/**
 * One document's side of the relay: applies what other instances send and answers their requests, and
 * publishes what this instance accepted. Everything received is applied with REMOTE_ORIGIN, so the
 * document fans it out to its peers without storing it or sending it back.
 */
export class InstanceLink {
	constructor(
		private readonly doc: LinkedDoc,
		private readonly link: DocLink,
		private readonly store: CollabStore,
		private readonly onError: (err: unknown) => void
	) {}

	publishUpdate(update: Uint8Array): void {
		this.link.publishUpdate(update);
	}

	/** Publishes these clients' presence as it is here (a removed one as removed). */
	publishPresence(clients: number[]): void {
		if (clients.length > 0) this.link.publishAwareness(awarenessProtocol.encodeAwarenessUpdate(this.doc.awareness, clients));
	}

	publishStored(clocks: Map<number, number>): void {
		this.link.publishStored(clocks);
	}

	/** Asks the other instances for what this one lacks (after loading). */
	requestSync(): void {
		this.link.requestSync(Y.encodeStateVector(this.doc.ydoc));
	}

	/**
	 * Each keepalive: renew this instance's people on the other instances, and forget people of an
	 * instance that stopped renewing them (it died); y-protocols clients drop presence not renewed for 30 s.
	 */
	keepalive(renewed: number[]): void {
		const local = this.doc.localPresence();
		this.publishPresence(renewed.filter((c) => local.has(c)));
		const stale = Date.now() - REMOTE_PRESENCE_TIMEOUT_MS;
		const states = this.doc.awareness.getStates();
		const gone = [...this.doc.awareness.meta].filter(([c, meta]) => !local.has(c) && states.has(c) && meta.lastUpdated < stale).map(([c]) => c);
		if (gone.length > 0) awarenessProtocol.removeAwarenessStates(this.doc.awareness, gone, REMOTE_ORIGIN);
	}

	leave(): void {
		this.link.leave();
	}

	applyUpdate(update: Uint8Array): void {
		this.guarded(() => Y.applyUpdate(this.doc.ydoc, update, REMOTE_ORIGIN));
	}

	applyAwareness(update: Uint8Array): void {
		this.guarded(() => awarenessProtocol.applyAwarenessUpdate(this.doc.awareness, update, REMOTE_ORIGIN));
	}

	/** Another instance stored content: acknowledge it to peers here that wrote it (e.g. before moving here). */
	stored(clocks: Map<number, number>): void {
		raise(this.doc.stored, clocks);
		this.doc.remote.settle();
		this.doc.acknowledgeWriters(clocks.keys());
	}

	/**
	 * Another instance (just loaded, or back from a relay outage) asks for what it lacks, and for
	 * presence. When it holds content this one lacks (it accepted edits while its messages could not go
	 * out), this one asks in turn: an outage seen by one side only is caught up on both.
	 */
	answerSync(stateVector: Uint8Array): void {
		this.guarded(() => {
			this.link.publishUpdate(Y.encodeStateAsUpdate(this.doc.ydoc, stateVector));
			const { store } = this.doc.ydoc;
			for (const [client, clock] of Y.decodeStateVector(stateVector)) {
				if (clock > Y.getState(store, client)) return this.requestSync();
			}
		});
		this.publishPresence(this.present(this.doc.localPresence()));
	}

	/**
	 * After a relay outage, messages may be lost either way: catch up from the store (what any instance
	 * stored meanwhile), ask the other instances for the rest, and show them this instance's presence
	 * again. Other instances' presence here is dropped: they send it again as they answer.
	 */
	async resync(): Promise<void> {
		if (this.doc.closed) return;
		const local = this.doc.localPresence();
		const remote = [...this.doc.awareness.getStates().keys()].filter((c) => !local.has(c));
		if (remote.length > 0) awarenessProtocol.removeAwarenessStates(this.doc.awareness, remote, REMOTE_ORIGIN);
		this.requestSync();
		this.publishPresence(this.present(local));
		const stored = new Y.Doc();
		try {
			const { state, updates } = await this.store.load(this.doc.name);
			if (state) Y.applyUpdate(stored, state);
			for (const u of updates) Y.applyUpdate(stored, u);
			if (this.doc.closed) return;
			raise(this.doc.stored, Y.decodeStateVector(Y.encodeStateVector(stored)));
			Y.applyUpdate(this.doc.ydoc, Y.encodeStateAsUpdate(stored, Y.encodeStateVector(this.doc.ydoc)), STORED_ORIGIN);
			this.doc.remote.settle();
		} catch (err) {
			this.onError(err);
		} finally {
			stored.destroy();
		}
	}

	private present(clients: Set<number>): number[] {
		const states = this.doc.awareness.getStates();
		return [...clients].filter((c) => states.has(c));
	}

	/** A message another instance sent that cannot be applied is reported, never thrown into the relay. */
	private guarded(apply: () => void): void {
		try {
			apply();
		} catch (err) {
			this.onError(err);
		}
	}
}

/** Raises each client's clock in `into` to at least the one in `clocks`. */
export function raise(into: Map<number, number>, clocks: Map<number, number>): void {
	for (const [client, clock] of clocks) if ((into.get(client) ?? 0) < clock) into.set(client, clock);
}
