import { Grams } from './similarity';

/**
 * The arrays one search reuses from split to split (a county's search has thousands of splits, and
 * allocating them for each cost more than the clustering): grown when a split needs more, never
 * cleared — each entry is stamped with the split, member or cluster it belongs to instead.
 */
export class ClusterWorkspace {
	/** The bigrams of a split's texts, one text after the other. */
	grams = new Grams();
	/** Open addressing from a bigram to its number within the split. */
	hashKeys = new Float64Array(0);
	hashIds = new Int32Array(0);
	hashStamp = new Int32Array(0);
	/** Each member's distinct bigrams (by number) and counts, one member after the other. */
	ids = new Int32Array(0);
	counts = new Float64Array(0);
	/** Per bigram number: the last member that held it and where its count sits. */
	lastIn = new Int32Array(0);
	slot = new Int32Array(0);
	/** Per bigram number: how many of a cluster's members hold it, for which cluster, and the first that does. */
	holders = new Int32Array(0);
	holdersOf = new Int32Array(0);
	firstHolder = new Int32Array(0);
	/** The running totals of a split's clusters, `size` entries each. */
	totals = new Float64Array(0);
	split = 0;
	member = 0;
	cluster = 0;

	/** Makes room for a split of at most `bound` bigrams (repeats included). */
	prepare(bound: number) {
		this.split++;
		const capacity = 2 ** Math.ceil(Math.log2(2 * bound + 2));
		if (this.hashKeys.length < capacity) {
			this.hashKeys = new Float64Array(capacity);
			this.hashIds = new Int32Array(capacity);
			this.hashStamp = new Int32Array(capacity);
		}
		if (this.ids.length < bound) {
			this.ids = new Int32Array(bound);
			this.counts = new Float64Array(bound);
			this.lastIn = new Int32Array(bound);
			this.slot = new Int32Array(bound);
			this.holders = new Int32Array(bound);
			this.holdersOf = new Int32Array(bound);
			this.firstHolder = new Int32Array(bound);
		}
	}

	/** The number of `gram` within the split, or -1 the first time it is seen (then it is given `next`). */
	numberOf(gram: number, next: number): number {
		const mask = this.hashKeys.length - 1;
		const high = Math.floor(gram / 0x110000);
		let at = (Math.imul(high, 0x9e3779b1) ^ Math.imul(gram - high * 0x110000, 0x85ebca6b)) & mask;
		while (this.hashStamp[at] === this.split) {
			if (this.hashKeys[at] === gram) return this.hashIds[at];
			at = (at + 1) & mask;
		}
		this.hashStamp[at] = this.split;
		this.hashKeys[at] = gram;
		this.hashIds[at] = next;
		return -1;
	}

	/** A zeroed running total of `size` entries for the `index`th cluster of the split; its offset. */
	total(index: number, size: number): number {
		const offset = index * size;
		if (this.totals.length < offset + size) {
			const grown = new Float64Array(Math.max(2 * this.totals.length, offset + size));
			grown.set(this.totals.subarray(0, offset));
			this.totals = grown;
		}
		this.totals.fill(0, offset, offset + size);
		return offset;
	}
}
