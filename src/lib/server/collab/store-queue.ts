import * as Y from 'yjs';
import type { CollabStore } from './persistence';
import type { Settlement } from './suggestion-book';
import { MAX_RAW_ROWS } from './persistence';

export interface QueuedUpdate<P> {
	update: Uint8Array;
	origin: P | null;
	/** performance.now() when it was queued: the saved-ack latency runs from here. */
	at: number;
	/** Suggestions it settled: audited in the transaction that stores it. */
	settled?: Settlement[];
}

export interface StoreQueueOptions<P> {
	docName: string;
	store: CollabStore;
	/** Rows already in the log when the document was loaded. */
	initialRows: number;
	/** At most one append per this many ms; updates meanwhile go together in the next. */
	minIntervalMs?: number;
	/** Called after a batch is durable, with the stored clocks it advanced. */
	onStored(batch: QueuedUpdate<P>[], clocks: Map<number, number>): void;
	onError(err: unknown): void;
	/** Back-off after a failed append, in ms, by consecutive failure count. */
	retryDelay?: (failures: number) => number;
}

/**
 * Group commit for one document: the first update after a pause is appended at once; updates that
 * arrive while an append is in flight, or within `minIntervalMs` of its start, go together in the
 * next one, merged into one row, so the database (PGlite runs on the server's own thread) sees a
 * few small transactions a second rather than one per keystroke. A failed append keeps its updates
 * at the head of the queue and retries with back-off; nothing is acknowledged until it is stored.
 * Compaction runs after appends, never two at once.
 */
export class StoreQueue<P> {
	private pending: QueuedUpdate<P>[] = [];
	private running: Promise<void> | null = null;
	private rows: number;
	/**
	 * Rows at which the next compaction starts: drawn between half of MAX_RAW_ROWS and all of it, so
	 * records that started together (a session's, or a benchmark's) do not all compact at the same
	 * moment on the server's thread.
	 */
	private compactAt = drawCompactAt();
	private compacting = false;
	private failures = 0;
	private lastAppend = -Infinity;
	private stopped = false;

	constructor(private readonly options: StoreQueueOptions<P>) {
		this.rows = options.initialRows;
	}

	get size(): number {
		return this.pending.length;
	}

	get failing(): boolean {
		return this.failures > 0;
	}

	push(item: QueuedUpdate<P>): void {
		this.pending.push(item);
		this.running ??= this.run();
	}

	/** Resolves when everything queued so far is stored (or the queue was stopped). */
	async flush(): Promise<void> {
		while (this.pending.length > 0 && !this.stopped) {
			this.running ??= this.run();
			await this.running;
		}
		await this.running;
	}

	/** Stops retrying (process exit after a final flush attempt). */
	stop(): void {
		this.stopped = true;
	}

	private async run(): Promise<void> {
		try {
			// After the I/O being handled now and the fan-out it scheduled: the append does not delay them.
			await new Promise((resolve) => setImmediate(resolve));
			while (this.pending.length > 0 && !this.stopped) {
				const wait = this.lastAppend + (this.options.minIntervalMs ?? 0) - performance.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				this.lastAppend = performance.now();
				const batch = this.pending.splice(0, 500);
				// Tens of milliseconds of typing (a few seconds after a failed append): cheap to merge,
				// unlike a long log.
				const row = batch.length === 1 ? batch[0].update : Y.mergeUpdates(batch.map((b) => b.update));
				try {
					const settled = batch.flatMap((b) => b.settled ?? []);
					await this.options.store.append(this.options.docName, [row], settled);
				} catch (err) {
					this.pending.unshift(...batch);
					this.failures++;
					this.options.onError(err);
					const delay = (this.options.retryDelay ?? defaultRetryDelay)(this.failures);
					await new Promise((resolve) => setTimeout(resolve, delay));
					continue;
				}
				this.failures = 0;
				this.rows += 1;
				// parseUpdateMeta reads only the headers; `to` is the clock after the row, per client.
				this.options.onStored(batch, Y.parseUpdateMeta(row).to);
				if (this.rows > this.compactAt) void this.compact();
			}
		} finally {
			this.running = null;
		}
	}

	private async compact(): Promise<void> {
		if (this.compacting) return;
		this.compacting = true;
		try {
			const folded = await this.options.store.compact(this.options.docName, 0);
			this.rows = Math.max(0, this.rows - folded);
			this.compactAt = drawCompactAt();
		} catch (err) {
			// The log is intact; compaction is retried after the next append.
			this.options.onError(err);
		} finally {
			this.compacting = false;
		}
	}
}

const drawCompactAt = () => MAX_RAW_ROWS - Math.floor(Math.random() * (MAX_RAW_ROWS / 2));

const defaultRetryDelay = (failures: number) => Math.min(250 * 2 ** (failures - 1), 5000);
