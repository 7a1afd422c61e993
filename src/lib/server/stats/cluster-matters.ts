import { addInto, cosine, profile, sharedTerms, totalOf, type Profile, type Total } from './similarity';

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
	for (const list of splits.values()) {
		if (list.length < minSize) continue;
		const ordered = list.sort((a, b) => a.registeredOn.localeCompare(b.registeredOn) || a.id - b.id).slice(-maxPerSplit);
		const open: { total: Total; members: { matter: MatterText; profile: Profile }[] }[] = [];
		for (const matter of ordered) {
			const p = profile(matter.text);
			let best: (typeof open)[number] | null = null;
			let bestScore = threshold;
			for (const c of open) {
				const score = cosine(p, c.total);
				if (score >= bestScore) [best, bestScore] = [c, score];
			}
			if (best) {
				best.members.push({ matter, profile: p });
				addInto(best.total, p);
			} else {
				open.push({ total: totalOf(p), members: [{ matter, profile: p }] });
			}
		}
		for (const c of open) {
			if (c.members.length < minSize) continue;
			const profiles = c.members.map((m) => m.profile);
			clusters.push({
				categoryId: c.members[0].matter.categoryId,
				placeId: c.members[0].matter.placeId,
				caseIds: c.members.map((m) => m.matter.id),
				firstOn: c.members[0].matter.registeredOn,
				lastOn: c.members[c.members.length - 1].matter.registeredOn,
				terms: sharedTerms(profiles),
				cohesion: Math.round((profiles.reduce((s, p) => s + cosine(p, c.total), 0) / profiles.length) * 100) / 100
			});
		}
	}
	return clusters.sort((a, b) => b.caseIds.length - a.caseIds.length || b.lastOn.localeCompare(a.lastOn));
}
