/**
 * The recurring-matter clustering as it was written first (issue 21 made it faster): plain maps, every
 * text through NFKC and a regular expression, a full sort of the shared terms. Kept only so that a test
 * can hold the fast one to the same answers, bit for bit, on many matters.
 */
import type { ClusterOptions, MatterCluster, MatterText } from '../../src/lib/server/stats/cluster-matters';
import { CLUSTER_DEFAULTS } from '../../src/lib/server/stats/cluster-matters';

interface Profile {
	keys: Float64Array;
	counts: Uint32Array;
	squares: number;
}
interface Total {
	counts: Map<number, number>;
	squares: number;
}

const MEANINGFUL = /[\p{Script=Han}\p{L}\p{N}]+/gu;
const PLANE = 0x110000;
const gramKey = (a: number, b: number) => a * PLANE + b;
const gramText = (key: number) => String.fromCodePoint(Math.floor(key / PLANE), key % PLANE);
const isDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;
const STOP_BIGRAMS = new Set(
	['一个', '我们', '他们', '没有', '因为', '所以', '要求', '问题', '情况', '反映', '进行', '现在', '已经', '可以', '这个', '村民'].map((g) =>
		gramKey(g.codePointAt(0)!, g.codePointAt(1)!)
	)
);

export function referenceProfile(text: string): Profile {
	const grams: number[] = [];
	for (const run of text.normalize('NFKC').toLowerCase().match(MEANINGFUL) ?? []) {
		let previous = -1;
		for (const char of run) {
			const cp = char.codePointAt(0)!;
			if (previous >= 0 && !(isDigit(previous) && isDigit(cp))) {
				const key = gramKey(previous, cp);
				if (!STOP_BIGRAMS.has(key)) grams.push(key);
			}
			previous = cp;
		}
	}
	const sorted = Float64Array.from(grams).sort();
	const keys = new Float64Array(sorted.length);
	const counts = new Uint32Array(sorted.length);
	let n = 0;
	for (let i = 0; i < sorted.length; i++) {
		if (n > 0 && keys[n - 1] === sorted[i]) counts[n - 1]++;
		else {
			keys[n] = sorted[i];
			counts[n] = 1;
			n++;
		}
	}
	let squares = 0;
	for (let i = 0; i < n; i++) squares += counts[i] * counts[i];
	return { keys: keys.subarray(0, n), counts: counts.subarray(0, n), squares };
}

function totalOf(p: Profile): Total {
	const counts = new Map<number, number>();
	for (let i = 0; i < p.keys.length; i++) counts.set(p.keys[i], p.counts[i]);
	return { counts, squares: p.squares };
}

function cosine(a: Profile, b: Total): number {
	if (a.squares === 0 || b.squares === 0) return 0;
	let dot = 0;
	for (let i = 0; i < a.keys.length; i++) dot += a.counts[i] * (b.counts.get(a.keys[i]) ?? 0);
	return dot / Math.sqrt(a.squares * b.squares);
}

function addInto(into: Total, p: Profile): void {
	for (let i = 0; i < p.keys.length; i++) {
		const n = into.counts.get(p.keys[i]) ?? 0;
		const v = p.counts[i];
		into.counts.set(p.keys[i], n + v);
		into.squares += 2 * n * v + v * v;
	}
}

function sharedTerms(members: Profile[], limit = 5): string[] {
	const documents = new Map<number, number>();
	for (const p of members) for (const gram of p.keys) documents.set(gram, (documents.get(gram) ?? 0) + 1);
	const half = Math.ceil(members.length / 2);
	return [...documents]
		.filter(([, n]) => n >= half)
		.map(([gram, n]) => [gramText(gram), n] as const)
		.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
		.slice(0, limit)
		.map(([gram]) => gram);
}

export function referenceClusterMatters(matters: MatterText[], options: Partial<ClusterOptions> = {}): MatterCluster[] {
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
			const p = referenceProfile(matter.text);
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
