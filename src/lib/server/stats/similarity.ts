/**
 * Chinese text similarity without a word segmenter or an outside service: a text becomes the counts of
 * its character bigrams (two neighbouring Han characters, letters or digits), and two texts are as
 * similar as the cosine of those count vectors. Bigrams suit Chinese, where most words are two
 * characters, and they need no dictionary: "宅基地边界" and "宅基地的边界纠纷" share 宅基, 基地, 边界.
 */

export type Profile = Map<string, number>;

/** Characters that carry meaning: Han characters, Latin letters and digits. Everything else splits. */
const MEANINGFUL = /[\p{Script=Han}\p{L}\p{N}]+/gu;
/** Two- or three-character stretches this common say nothing about what a matter is about. */
const STOP_BIGRAMS = new Set(['一个', '我们', '他们', '没有', '因为', '所以', '要求', '问题', '情况', '反映', '进行', '现在', '已经', '可以', '这个', '村民']);

/** The bigram counts of a text (NFKC-normalised, so full-width letters and digits count as half-width). */
export function profile(text: string): Profile {
	const counts: Profile = new Map();
	for (const run of text.normalize('NFKC').toLowerCase().match(MEANINGFUL) ?? []) {
		const chars = [...run];
		for (let i = 0; i + 1 < chars.length; i++) {
			const gram = chars[i] + chars[i + 1];
			if (STOP_BIGRAMS.has(gram) || /^\d+$/.test(gram)) continue;
			counts.set(gram, (counts.get(gram) ?? 0) + 1);
		}
	}
	return counts;
}

function norm(p: Profile): number {
	let sum = 0;
	for (const v of p.values()) sum += v * v;
	return Math.sqrt(sum);
}

/** Cosine similarity of two profiles, 0 (nothing shared) to 1 (the same mix). */
export function cosine(a: Profile, b: Profile): number {
	const [small, large] = a.size <= b.size ? [a, b] : [b, a];
	let dot = 0;
	for (const [gram, v] of small) dot += v * (large.get(gram) ?? 0);
	const denominator = norm(a) * norm(b);
	return denominator === 0 ? 0 : dot / denominator;
}

/** Adds `p` into `into` (a cluster's running total). */
export function addInto(into: Profile, p: Profile): void {
	for (const [gram, v] of p) into.set(gram, (into.get(gram) ?? 0) + v);
}

/** The bigrams most of a cluster's members share, most shared first: a cluster's gist. */
export function sharedTerms(members: Profile[], limit = 5): string[] {
	const documents = new Map<string, number>();
	for (const p of members) for (const gram of p.keys()) documents.set(gram, (documents.get(gram) ?? 0) + 1);
	const half = Math.ceil(members.length / 2);
	return [...documents]
		.filter(([, n]) => n >= half)
		.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
		.slice(0, limit)
		.map(([gram]) => gram);
}
