import * as Y from 'yjs';

interface Unconfirmed {
	update: Uint8Array;
	/** Clock after the update, per client (what "stored" must reach). */
	to: Map<number, number>;
	at: number;
}

/**
 * Content another instance accepted and this one applied, until some instance reports it stored. The
 * accepting instance stores it; should that instance die first, the content would live only in
 * memory, and a client re-sending it to this instance would add nothing new to store. So content not
 * reported stored within `graceMs` is stored here as well: a duplicate row is harmless (Yjs applies
 * content once), a lost edit is not.
 *
 * Deletion-only updates carry no clock and cannot be confirmed; they are not tracked. Clients keep
 * their deletions and send them again in every sync, so a lost one is restored on reconnect.
 */
export class RemoteContent {
	private items: Unconfirmed[] = [];
	private timer: NodeJS.Timeout | null = null;

	constructor(
		private readonly stored: Map<number, number>,
		private readonly graceMs: number,
		private readonly storeHere: (update: Uint8Array) => void
	) {}

	get size(): number {
		return this.items.length;
	}

	/** Content applied from another instance. */
	add(update: Uint8Array): void {
		const to = Y.parseUpdateMeta(update).to;
		if (to.size === 0 || this.covered(to)) return;
		this.items.push({ update, to, at: performance.now() });
		if (!this.timer) {
			this.timer = setInterval(() => this.storeOverdue(performance.now() - this.graceMs), Math.max(100, this.graceMs / 3));
			this.timer.unref();
		}
	}

	/** Drops what the stored clocks now cover (after a "stored" report or a store of our own). */
	settle(): void {
		this.items = this.items.filter((item) => !this.covered(item.to));
		if (this.items.length === 0) this.stop();
	}

	/** Stores everything still unconfirmed now (shutdown). */
	storeAll(): void {
		this.storeOverdue(Infinity);
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	private storeOverdue(before: number): void {
		const keep: Unconfirmed[] = [];
		for (const item of this.items) {
			if (this.covered(item.to)) continue;
			if (item.at <= before) this.storeHere(item.update);
			else keep.push(item);
		}
		this.items = keep;
		if (keep.length === 0) this.stop();
	}

	private covered(to: Map<number, number>): boolean {
		for (const [client, clock] of to) if ((this.stored.get(client) ?? 0) < clock) return false;
		return true;
	}
}
