/**
 * Chinese text similarity without a word segmenter or an outside service: a text becomes the counts of
 * its character bigrams (two neighbouring Han characters, letters or digits), and two texts are as
 * similar as the cosine of those count vectors. Bigrams suit Chinese, where most words are two
 * characters, and they need no dictionary: "宅基地边界" and "宅基地的边界纠纷" share 宅基, 基地, 边界.
 *
 * A county's recurring-matter search profiles tens of thousands of texts and compares each with every
 * open cluster of its split, so a profile is a sorted array of its bigrams as numbers (two code points
 * in one integer) rather than a map of strings, which the collector paid for at every search, and it
 * carries its norm, kept up to date as a cluster's running total grows rather than summed at every
 * comparison.
 */

/** One text's bigrams (see `gramKey`), ascending, with their counts: compact, and cheap to collect. */
export interface Profile {
	keys: Float64Array;
	counts: Uint32Array;
	/** The sum of the squared counts: the squared length of the vector. */
	squares: number;
}

/** A cluster's running total of its members' profiles. */
export interface Total {
	counts: Map<number, number>;
	squares: number;
}

/** Characters that carry meaning: Han characters, Latin letters and digits. Everything else splits. */
const MEANINGFUL = /[\p{Script=Han}\p{L}\p{N}]+/gu;
const PLANE = 0x110000;
const gramKey = (a: number, b: number) => a * PLANE + b;
const gramText = (key: number) => String.fromCodePoint(Math.floor(key / PLANE), key % PLANE);
const isDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;

/** Two- or three-character stretches this common say nothing about what a matter is about. */
const STOP_BIGRAMS = new Set(
	['一个', '我们', '他们', '没有', '因为', '所以', '要求', '问题', '情况', '反映', '进行', '现在', '已经', '可以', '这个', '村民'].map((g) =>
		gramKey(g.codePointAt(0)!, g.codePointAt(1)!)
	)
);

/** The bigram counts of a text (NFKC-normalised, so full-width letters and digits count as half-width). */
export function profile(text: string): Profile {
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

/** A running total that starts as `p`. */
export function totalOf(p: Profile): Total {
	const counts = new Map<number, number>();
	for (let i = 0; i < p.keys.length; i++) counts.set(p.keys[i], p.counts[i]);
	return { counts, squares: p.squares };
}

/** Cosine similarity of a profile with another or with a total, 0 (nothing shared) to 1 (the same mix). */
export function cosine(a: Profile, b: Profile | Total): number {
	if (a.squares === 0 || b.squares === 0) return 0;
	let dot = 0;
	if ('keys' in b) {
		// Both ascending: one pass over the two.
		for (let i = 0, j = 0; i < a.keys.length && j < b.keys.length; ) {
			if (a.keys[i] === b.keys[j]) dot += a.counts[i++] * b.counts[j++];
			else if (a.keys[i] < b.keys[j]) i++;
			else j++;
		}
	} else {
		for (let i = 0; i < a.keys.length; i++) dot += a.counts[i] * (b.counts.get(a.keys[i]) ?? 0);
	}
	return dot / Math.sqrt(a.squares * b.squares);
}

/** Adds `p` into `into` (a cluster's running total), keeping its norm. */
export function addInto(into: Total, p: Profile): void {
	for (let i = 0; i < p.keys.length; i++) {
		const n = into.counts.get(p.keys[i]) ?? 0;
		const v = p.counts[i];
		into.counts.set(p.keys[i], n + v);
		into.squares += 2 * n * v + v * v;
	}
}

/** The bigrams most of a cluster's members share, most shared first: a cluster's gist. */
export function sharedTerms(members: Profile[], limit = 5): string[] {
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
