/**
 * Per-socket budgets of the collaboration server. One token bucket per kind of client message, so a
 * flood of one kind (e.g. sync-step-1 frames asking for the whole record again and again) ends that
 * socket without touching what honest use of the others needs. A message costs the work it causes in
 * bytes: what it makes the server send back (sync-step-1, query-awareness) or what it brings in
 * (updates and awareness, which the document then fans out). Hand-written: the npm rate limiters count
 * requests per key in a store; this is a few lines of arithmetic on the socket's own object, on the
 * hot path.
 */

export type BudgetKind = 'sync' | 'queryAwareness' | 'update' | 'awareness';

/** A bucket's size (the burst allowed) and how fast it refills. */
export interface BucketLimits {
	/** Bytes a socket may use at once. */
	capacity: number;
	/** Bytes added back per second, up to `capacity`. */
	perSecond: number;
}

export type BudgetLimits = Record<BudgetKind, BucketLimits>;

/**
 * Defaults, per socket. An honest editor asks for the record once per connection (sync: one reply of
 * at most the record cap, 2 MB, with room for a second), never queries awareness (y-websocket does not),
 * sends updates of a few dozen bytes per keystroke and up to a frame (2 MB) when it comes back with
 * offline work, and publishes a cursor of a few hundred bytes on each selection change.
 *
 * Awareness counts more than the editor's own cursor: y-websocket re-broadcasts every presence change
 * it receives, so in a room of N people moving their carets once a second each browser sends the
 * server the other N − 1 states a second (about 270 B each with the attested user and Tiptap's caret:
 * 52 KB/s at N = 200), and on joining one frame with everyone's (53 KB at 200). The server drops
 * these as someone else's presence, but they count here first; at 16 KB/s every editor of a room over
 * ~60 was closed with 4429 within seconds (scripts/bench/presence-echo.ts). 64 KB/s keeps a room of
 * 200, and what a socket can make the server fan out stays below what the update budget allows.
 */
export const DEFAULT_BUDGETS: BudgetLimits = {
	sync: { capacity: 6 * 1024 * 1024, perSecond: 128 * 1024 },
	queryAwareness: { capacity: 256 * 1024, perSecond: 16 * 1024 },
	update: { capacity: 8 * 1024 * 1024, perSecond: 256 * 1024 },
	awareness: { capacity: 256 * 1024, perSecond: 64 * 1024 }
};

export class TokenBucket {
	private tokens: number;
	private at: number;

	constructor(
		private readonly limits: BucketLimits,
		now: number
	) {
		this.tokens = limits.capacity;
		this.at = now;
	}

	private refill(now: number): void {
		if (now > this.at) {
			this.tokens = Math.min(this.limits.capacity, this.tokens + ((now - this.at) / 1000) * this.limits.perSecond);
			this.at = now;
		}
	}

	/** Takes `cost` if the bucket holds it (for costs known before the work: bytes received). */
	take(cost: number, now: number): boolean {
		this.refill(now);
		if (this.tokens < cost) return false;
		this.tokens -= cost;
		return true;
	}

	/**
	 * Whether anything is left, for costs known only after the work (the size of a reply): one reply
	 * may overdraw the bucket, the next waits until it has refilled above zero.
	 */
	hasCredit(now: number): boolean {
		this.refill(now);
		return this.tokens > 0;
	}

	charge(cost: number): void {
		this.tokens -= cost;
	}
}

/** One socket's buckets, one per kind of message. */
export class SocketBudget {
	private readonly buckets: Record<BudgetKind, TokenBucket>;

	constructor(limits: BudgetLimits, now: number) {
		this.buckets = {
			sync: new TokenBucket(limits.sync, now),
			queryAwareness: new TokenBucket(limits.queryAwareness, now),
			update: new TokenBucket(limits.update, now),
			awareness: new TokenBucket(limits.awareness, now)
		};
	}

	bucket(kind: BudgetKind): TokenBucket {
		return this.buckets[kind];
	}
}
