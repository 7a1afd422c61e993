import { ClusterWorkspace } from './cluster-workspace';
import { appendGrams, gramText, sharedTerms, type TermSource } from './similarity';

/**
 * Recurring matters ("一件事" → "一类事"), pure: matters of the same category arising in the same place
 * within the window are grouped when their texts are alike. How:
 * 1. Matters are split by (category, place where they arose — the village, or the township for matters
 *    raised at the town hall). Matters of different categories or places are never merged.
 * 2. Within a split, oldest first, each matter joins the existing cluster whose running bigram profile
 *    (the sum of its members' profiles) is most similar to it, if that cosine similarity reaches
 *    `threshold`; otherwise it starts a cluster. Comparing with the whole cluster's profile rather than
 *    with its nearest member keeps a chain of pairwise-similar texts from drifting into one cluster.
 * 3. Clusters with at least `minSize` members are reported, largest first.
 * The cost is (matters in a split) × (clusters in it), bounded by `maxPerSplit` most recent matters.
 */

export interface MatterText {
	id: number;
	categoryId: number;
	/** The village where it arose, or the township for a matter raised at the township itself. */
	placeId: number;
	/** Shanghai calendar date of registration. */
	registeredOn: string;
	text: string;
}

export interface ClusterOptions {
	threshold: number;
	minSize: number;
	maxPerSplit: number;
}

export const CLUSTER_DEFAULTS: ClusterOptions = { threshold: 0.3, minSize: 3, maxPerSplit: 400 };

export interface MatterCluster {
	categoryId: number;
	placeId: number;
	/** Member ids, oldest first. */
	caseIds: number[];
	firstOn: string;
	lastOn: string;
	/** The bigrams at least half of the members share: what the matters are about. */
	terms: string[];
	/** Mean similarity of the members to the cluster's profile: how alike they really are. */
	cohesion: number;
}

export function clusterMatters(matters: MatterText[], options: Partial<ClusterOptions> = {}): MatterCluster[] {
	const { threshold, minSize, maxPerSplit } = { ...CLUSTER_DEFAULTS, ...options };
	const splits = new Map<string, MatterText[]>();
	for (const m of matters) {
		const key = `${m.categoryId}:${m.placeId}`;
		const list = splits.get(key);
		if (list) list.push(m);
		else splits.set(key, [m]);
	}
	const clusters: MatterCluster[] = [];
	const work = new ClusterWorkspace();
	for (const list of splits.values()) {
		if (list.length < minSize) continue;
		const ordered = list.sort((a, b) => (a.registeredOn < b.registeredOn ? -1 : a.registeredOn > b.registeredOn ? 1 : a.id - b.id)).slice(-maxPerSplit);
		clusters.push(...clusterSplit(ordered, threshold, minSize, work));
	}
	return clusters.sort((a, b) => b.caseIds.length - a.caseIds.length || b.lastOn.localeCompare(a.lastOn));
}

/**
 * One split's clusters. The bigrams of the split are numbered 0, 1, 2 … first, and every member's
 * distinct bigrams and their counts are kept by number, so that a cluster's running total is an array
 * indexed by that number rather than a map: the same integer sums, so the same similarities to the last
 * bit, at a fraction of the cost (a county's search makes a million lookups).
 */
function clusterSplit(ordered: MatterText[], threshold: number, minSize: number, work: ClusterWorkspace): MatterCluster[] {
	const { grams } = work;
	grams.length = 0;
	const textEnds = ordered.map((m) => {
		appendGrams(m.text, grams);
		return grams.length;
	});
	const bound = grams.length;
	work.prepare(bound);
	const { ids, counts, lastIn, slot } = work;
	const gramOf: number[] = [];
	const members: { matter: MatterText; start: number; end: number; squares: number }[] = [];
	let end = 0;
	for (let index = 0, at = 0; index < ordered.length; index++) {
		const start = end;
		const member = ++work.member;
		for (; at < textEnds[index]; at++) {
			const gram = grams.data[at];
			let id = work.numberOf(gram, gramOf.length);
			if (id < 0) {
				id = gramOf.length;
				gramOf.push(gram);
				lastIn[id] = 0;
			}
			if (lastIn[id] === member) counts[slot[id]]++;
			else {
				lastIn[id] = member;
				slot[id] = end;
				ids[end] = id;
				counts[end++] = 1;
			}
		}
		let squares = 0;
		for (let i = start; i < end; i++) squares += counts[i] * counts[i];
		members.push({ matter: ordered[index], start, end, squares });
	}
	type Member = (typeof members)[number];
	type Open = { offset: number; squares: number; members: Member[] };
	const size = gramOf.length;
	const open: Open[] = [];
	// The cosine of a member's bigram counts with a cluster's running total.
	const similarity = (m: Member, c: Open) => {
		if (m.squares === 0 || c.squares === 0) return 0;
		const { totals } = work;
		let dot = 0;
		for (let i = m.start; i < m.end; i++) dot += counts[i] * totals[c.offset + ids[i]];
		return dot / Math.sqrt(m.squares * c.squares);
	};
	const add = (c: Open, m: Member) => {
		const { totals } = work;
		for (let i = m.start; i < m.end; i++) {
			const n = totals[c.offset + ids[i]];
			const v = counts[i];
			totals[c.offset + ids[i]] = n + v;
			c.squares += 2 * n * v + v * v;
		}
		c.members.push(m);
	};
	for (const m of members) {
		let best: Open | null = null;
		let bestScore = threshold;
		for (const c of open) {
			const score = similarity(m, c);
			if (score >= bestScore) [best, bestScore] = [c, score];
		}
		if (best) add(best, m);
		else {
			const c: Open = { offset: work.total(open.length, size), squares: 0, members: [] };
			add(c, m);
			open.push(c);
		}
	}
	const out: MatterCluster[] = [];
	const { holders, holdersOf, firstHolder } = work;
	const texts: string[] = [];
	const terms: TermSource = { grams: gramOf, holders, first: firstHolder, text: (id) => (texts[id] ??= gramText(gramOf[id])) };
	for (const c of open) {
		if (c.members.length < minSize) continue;
		// How many members hold each bigram, and the first that does.
		const cluster = ++work.cluster;
		const held: number[] = [];
		for (let index = 0; index < c.members.length; index++) {
			const m = c.members[index];
			for (let i = m.start; i < m.end; i++) {
				const id = ids[i];
				if (holdersOf[id] === cluster) holders[id]++;
				else {
					holdersOf[id] = cluster;
					holders[id] = 1;
					firstHolder[id] = index;
					held.push(id);
				}
			}
		}
		out.push({
			categoryId: c.members[0].matter.categoryId,
			placeId: c.members[0].matter.placeId,
			caseIds: c.members.map((m) => m.matter.id),
			firstOn: c.members[0].matter.registeredOn,
			lastOn: c.members[c.members.length - 1].matter.registeredOn,
			terms: sharedTerms(held, c.members.length, terms),
			cohesion: Math.round((c.members.reduce((s, m) => s + similarity(m, c), 0) / c.members.length) * 100) / 100
		});
	}
	return out;
}
