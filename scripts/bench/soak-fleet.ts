/**
 * The clients of `npm run soak`: light typists spread over many documents, full observers on a few
 * sampled documents (latency), and churn, so that what a long-running server could leak shows: sockets
 * that drop and come back, and documents left idle long enough to be unloaded and then reopened.
 */
import * as Y from 'yjs';
import { LatencyBook, LightClient, observer, serverStateVector, type SendLog } from './collab-clients';

export interface FleetOptions {
	/** `ws://host:port/collab` */
	base: string;
	sockets: number;
	docs: number;
	/** Updates per typist per second. */
	rate: number;
	/** Documents with observers (the first ones); they never go idle. */
	sampled: number;
	observersPerDoc: number;
	/** Every `churnEveryMs`, this share of the typists drops its connection and is back 1–3 s later. */
	churnEveryMs: number;
	churnShare: number;
	/** Every `idleEveryMs`, this share of the documents loses all its typists for `idleMs`. */
	idleEveryMs: number;
	idleShare: number;
	idleMs: number;
}

interface Typist {
	client: LightClient;
	doc: number;
}

const TICK_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(from: T[], n: number): T[] => from.sort(() => Math.random() - 0.5).slice(0, n);

export class SoakFleet {
	readonly names: string[];
	readonly typists: Typist[] = [];
	/** Per sampled document: what its typists sent while recording, and when each observer had it. */
	readonly sends: SendLog[];
	readonly books: LatencyBook[];
	private readonly observers: ReturnType<typeof observer>[] = [];
	/** Only edits typed while recording count in the figures. */
	recording = false;
	reconnects = 0;
	idleCycles = 0;
	private readonly idle = new Set<number>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly intervals = new Set<NodeJS.Timeout>();

	constructor(
		private readonly options: FleetOptions,
		run: string
	) {
		this.names = Array.from({ length: options.docs }, (_, i) => `soak-${run}-${i}`);
		this.sends = Array.from({ length: options.sampled }, () => new Map());
		this.books = this.sends.map((sends) => new LatencyBook(sends, options.observersPerDoc));
	}

	/** Opens every observer and typist; resolves when all are connected (observers synced). */
	async connect(): Promise<void> {
		const { base, sampled, observersPerDoc, sockets, docs } = this.options;
		for (let d = 0; d < sampled; d++) for (let i = 0; i < observersPerDoc; i++) this.observers.push(observer(base, this.names[d], this.books[d]));
		await Promise.all(this.observers.map((o) => new Promise<void>((r) => (o.provider.synced ? r() : o.provider.once('sync', () => r())))));
		await Promise.all(
			Array.from({ length: sockets }, (_, i) => new Promise<void>((r) => this.typists.push({ client: new LightClient(`${base}/${this.names[i % docs]}`, r), doc: i % docs })))
		);
	}

	/** Starts typing (each typist `rate` times a second, spread evenly) and the churn. */
	start(): void {
		const perTick = (this.typists.length * this.options.rate * TICK_MS) / 1000;
		let carry = 0;
		let next = 0;
		this.every(TICK_MS, () => {
			for (carry += perTick; carry >= 1; carry--) {
				const t = this.typists[next];
				next = (next + 1) % this.typists.length;
				// A typist whose connection is down does not type (its turn is skipped, not made up).
				if (!t.client.open) continue;
				const sent = t.client.type();
				if (this.recording && t.doc < this.options.sampled) this.sends[t.doc].set(sent.key, sent.at);
			}
		});
		let abrupt = false;
		this.every(this.options.churnEveryMs, () => {
			const candidates = this.typists.filter((t) => t.client.open && !this.idle.has(t.doc));
			for (const t of pick(candidates, Math.round(this.typists.length * this.options.churnShare))) {
				// Half close cleanly (a closed tab), half just vanish (a lost network).
				t.client.disconnect((abrupt = !abrupt));
				this.later(1000 + Math.random() * 2000, () => {
					if (!this.idle.has(t.doc)) this.bringBack(t);
				});
			}
		});
		this.every(this.options.idleEveryMs, () => {
			const candidates = [...this.names.keys()].filter((d) => d >= this.options.sampled && !this.idle.has(d));
			for (const d of pick(candidates, Math.max(1, Math.round(this.names.length * this.options.idleShare)))) {
				this.idle.add(d);
				this.idleCycles++;
				for (const t of this.typists) if (t.doc === d && t.client.open) t.client.disconnect();
				this.later(this.options.idleMs, () => {
					this.idle.delete(d);
					for (const t of this.typists) if (t.doc === d) this.bringBack(t);
				});
			}
		});
	}

	/**
	 * Stops typing and churn, brings every typist back, and waits (at most `timeoutMs`) until every
	 * recorded edit reached every observer of its document and every edit is acknowledged as stored.
	 */
	async settle(timeoutMs: number): Promise<void> {
		this.stopTimers();
		this.idle.clear();
		for (const t of this.typists) this.bringBack(t);
		const recorded = this.sends.reduce((n, s) => n + s.size, 0);
		const done = () => this.typists.every((t) => t.client.open && t.client.unsaved === 0) && this.latencies().length >= recorded;
		for (let waited = 0; waited < timeoutMs && !done(); waited += 100) await sleep(100);
	}

	/** All-observers-applied latency of every recorded edit (sent at `since` or later) that reached every observer, in ms. */
	latencies(since = -Infinity): number[] {
		return this.books.flatMap((b) => b.latencies(since));
	}

	acks(): number[] {
		return this.typists.flatMap((t) => t.client.acks);
	}

	resetAcks(): void {
		for (const t of this.typists) t.client.acks.length = 0;
	}

	/** Edits a typist made that the server does not have applied now, summed over every document. */
	async missingEdits(): Promise<number> {
		let missing = 0;
		await Promise.all(
			this.names.map(async (name, d) => {
				const server = await serverStateVector(`${this.options.base}/${name}`);
				for (const t of this.typists) {
					if (t.doc !== d) continue;
					const id = t.client.doc.clientID;
					missing += Math.max(0, Y.getState(t.client.doc.store, id) - (server.get(id) ?? 0));
				}
			})
		);
		return missing;
	}

	close(): void {
		this.stopTimers();
		for (const t of this.typists) t.client.close();
		for (const o of this.observers) o.close();
	}

	private bringBack(t: Typist): void {
		if (t.client.open || t.client.ws.readyState === t.client.ws.CONNECTING) return;
		t.client.connect();
		this.reconnects++;
	}

	private every(ms: number, run: () => void): void {
		this.intervals.add(setInterval(run, ms));
	}

	private stopTimers(): void {
		for (const t of this.intervals) clearInterval(t);
		for (const t of this.timers) clearTimeout(t);
		this.intervals.clear();
		this.timers.clear();
	}

	private later(ms: number, run: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			run();
		}, ms);
		this.timers.add(timer);
	}
}
