import * as Y from 'yjs';

export type SaveStatus = 'saved' | 'saving' | 'not-stored' | 'offline';

/**
 * Whether this device's edits are stored on the server, from the server's "saved" acknowledgements
 * (MSG_SAVED: stored clock per Yjs client). "Saved" means the stored clock of every client that
 * edited on this device has reached its local clock — never merely "sent".
 *
 * A reload starts a new Y.Doc with a new client id, while edits made offline under the old id wait
 * in IndexedDB. The ids still unacknowledged are therefore kept in localStorage, so a reload does not
 * claim "saved" before those edits are stored too.
 */
export class SaveState {
	connected = $state(false);
	synced = $state(false);
	/** Some edit made on this device is not yet acknowledged as stored. */
	unsaved = $state(false);
	/** Every edit made on this device is in IndexedDB (it survives a reload). */
	keptOnDevice = $state(true);
	/** The server says it cannot store edits now (its database is unreachable); it keeps them meanwhile. */
	serverCannotStore = $state(false);
	readonly status: SaveStatus = $derived(
		!this.connected ? 'offline' : this.synced && !this.unsaved ? 'saved' : this.serverCannotStore ? 'not-stored' : 'saving'
	);

	private readonly acked = new Map<number, number>();
	private readonly pending: Set<number>;
	/** Clients this tab has seen stored, so another tab's stale list does not bring them back. */
	private readonly resolved = new Set<number>();

	constructor(
		private readonly doc: Y.Doc,
		private readonly storageKey: string
	) {
		this.pending = new Set(readIds(storageKey));
		this.recompute();
	}

	/** Clients whose edits this device made (from a local transaction's update). */
	localUpdate(update: Uint8Array): void {
		for (const client of Y.parseUpdateMeta(update).to.keys()) this.pending.add(client);
		this.recompute();
	}

	/** A "saved" message: the stored clock per client. */
	ack(clocks: Map<number, number>): void {
		for (const [client, clock] of clocks) if ((this.acked.get(client) ?? 0) < clock) this.acked.set(client, clock);
		this.recompute();
	}

	/** Earlier clients of this device (e.g. before a reload) whose edits are not yet acknowledged. */
	earlierClients(): number[] {
		return [...this.pending].filter((c) => c !== this.doc.clientID);
	}

	/**
	 * Once the device's own copy is loaded: a remembered client with nothing in it (site data cleared
	 * but not localStorage) has nothing left to save.
	 */
	forgetEmpty(): void {
		for (const client of [...this.pending]) if (Y.getState(this.doc.store, client) === 0) this.settle(client);
		this.recompute();
	}

	recompute(): void {
		for (const client of [...this.pending]) {
			const local = Y.getState(this.doc.store, client);
			if (local > 0 && (this.acked.get(client) ?? 0) >= local) this.settle(client);
		}
		this.unsaved = this.pending.size > 0;
		// Other tabs of this browser share the list: keep their entries, drop what this tab saw stored.
		const merged = new Set([...readIds(this.storageKey), ...this.pending].filter((c) => !this.resolved.has(c)));
		writeIds(this.storageKey, [...merged]);
	}

	private settle(client: number): void {
		this.pending.delete(client);
		this.resolved.add(client);
	}
}

function readIds(key: string): number[] {
	try {
		const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
		return Array.isArray(parsed) ? parsed.filter((n): n is number => Number.isInteger(n)) : [];
	} catch {
		// Storage unavailable (private mode) or garbled: start from this visit's edits only.
		return [];
	}
}

function writeIds(key: string, ids: number[]): void {
	try {
		if (ids.length === 0) localStorage.removeItem(key);
		else localStorage.setItem(key, JSON.stringify(ids));
	} catch {
		// Without storage the status still covers this visit's edits.
	}
}
