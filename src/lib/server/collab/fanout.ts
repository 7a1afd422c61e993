import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { InstanceLink } from './instance-link';
import { encodeAwareness, encodeUpdate } from './protocol';
import type { CollabMetrics, Peer } from './peer';
import { frameMessages } from './wire';

/** What the fan-out reads of its document. */
export interface FanoutSource {
	readonly peers: ReadonlySet<Peer>;
	readonly awareness: Awareness;
}

/**
 * A document's fan-out batcher. Updates and awareness changes are sent out at most once per
 * `windowMs`: a change after a quiet window goes out once the current I/O is read (no added wait),
 * changes that come faster are collected until the window ends. Each batch is encoded and framed once
 * and written to every peer. Clock-only awareness renewals are not rebroadcast one by one: they are
 * folded into one keepalive message per document every `keepaliveMs`. With a relay, what this
 * instance accepted goes to the other instances once per fan-out too.
 */
export class Fanout {
	private outUpdates: Uint8Array[] = [];
	/** Of the updates in this window, those accepted here (for the relay), and whether others came in. */
	private relayUpdates: Uint8Array[] = [];
	private remoteInWindow = false;
	private outAwareness = new Set<number>();
	private relayAwareness = new Set<number>();
	private renewed = new Set<number>();
	private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
	private last = -Infinity;
	private readonly keepaliveTimer: NodeJS.Timeout;
	private stopped = false;

	constructor(
		private readonly doc: FanoutSource,
		private readonly link: InstanceLink | null,
		private readonly windowMs: number,
		keepaliveMs: number,
		private readonly metrics?: CollabMetrics
	) {
		this.keepaliveTimer = setInterval(() => this.keepalive(), keepaliveMs);
		this.keepaliveTimer.unref();
	}

	/** A document update: `accepted` here (relayed to the other instances), or from another instance or the store. */
	update(update: Uint8Array, accepted: boolean): void {
		this.outUpdates.push(update);
		if (accepted) this.relayUpdates.push(update);
		else this.remoteInWindow = true;
		this.schedule();
	}

	/** Presence that was added, changed or removed: `accepted` here, or from another instance. */
	awarenessChanged(clients: number[], accepted: boolean): void {
		for (const c of clients) {
			this.outAwareness.add(c);
			if (accepted) this.relayAwareness.add(c);
		}
		this.schedule();
	}

	/** Presence renewed (possibly clock-only): sent with the next keepalive unless a change sends it first. */
	awarenessRenewed(clients: number[]): void {
		for (const c of clients) this.renewed.add(c);
	}

	stop(): void {
		this.stopped = true;
		clearInterval(this.keepaliveTimer);
		if (this.timer) {
			clearTimeout(this.timer as NodeJS.Timeout);
			clearImmediate(this.timer as NodeJS.Immediate);
		}
	}

	private schedule(): void {
		if (this.timer || this.stopped) return;
		const wait = this.last + this.windowMs - performance.now();
		this.timer = wait > 0 ? setTimeout(() => this.fanout(), wait) : setImmediate(() => this.fanout());
	}

	private fanout(): void {
		this.timer = null;
		this.last = performance.now();
		const frames: Uint8Array[] = [];
		if (this.outUpdates.length > 0) {
			const merged = merge(this.outUpdates);
			frames.push(encodeUpdate(merged));
			this.metrics?.updatesOut(this.doc.peers.size);
			if (this.link && this.relayUpdates.length > 0) this.link.publishUpdate(this.remoteInWindow ? merge(this.relayUpdates) : merged);
			this.outUpdates = [];
			this.relayUpdates = [];
			this.remoteInWindow = false;
		}
		if (this.outAwareness.size > 0) {
			frames.push(encodeAwareness(this.doc.awareness, [...this.outAwareness]));
			this.link?.publishPresence([...this.relayAwareness]);
			for (const c of this.outAwareness) this.renewed.delete(c);
			this.outAwareness.clear();
			this.relayAwareness.clear();
		}
		if (frames.length === 0) return;
		const framed = frameMessages(frames);
		for (const peer of this.doc.peers) peer.sendFramed(framed);
	}

	/** One message per document keeps idle clients' connections and their peers' presence alive. */
	private keepalive(): void {
		const clients = [...this.renewed].filter((c) => this.doc.awareness.getStates().has(c));
		this.renewed.clear();
		const framed = frameMessages([encodeAwareness(this.doc.awareness, clients)]);
		for (const peer of this.doc.peers) peer.sendFramed(framed);
		this.link?.keepalive(clients);
	}
}

const merge = (updates: Uint8Array[]) => (updates.length === 1 ? updates[0] : Y.mergeUpdates(updates));
