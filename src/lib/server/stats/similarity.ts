/**
 * Chinese text similarity without a word segmenter or an outside service: a text becomes the counts of
 * its character bigrams (two neighbouring Han characters, letters or digits), and two texts are as
 * similar as the cosine of those count vectors. Bigrams suit Chinese, where most words are two
 * characters, and they need no dictionary: "宅基地边界" and "宅基地的边界纠纷" share 宅基, 基地, 边界.
 *
 * A county's recurring-matter search profiles tens of thousands of texts and compares each with every
 * open cluster of its split, so a profile is a sorted array of its bigrams as numbers (two code points
 * in one integer) rather than a map of strings, which the collector paid for at every search, and it
 * carries its norm (the clusters' running totals are cluster-matters.ts's). Most texts are read in one
 * pass over a table of the characters they are written in; others take the general path.
 */

/** One text's bigrams (see `gramKey`), ascending, with their counts: compact, and cheap to collect. */
export interface Profile {
	keys: Float64Array;
	counts: Uint32Array;
	/** The sum of the squared counts: the squared length of the vector. */
	squares: number;
}

/** Characters that carry meaning: Han characters, Latin letters and digits. Everything else splits. */
const MEANINGFUL = /[\p{Script=Han}\p{L}\p{N}]+/gu;
const PLANE = 0x110000;
const gramKey = (a: number, b: number) => a * PLANE + b;
export const gramText = (key: number) => String.fromCodePoint(Math.floor(key / PLANE), key % PLANE);
const isDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;

/** Two- or three-character stretches this common say nothing about what a matter is about. */
const STOP_WORDS = ['一个', '我们', '他们', '没有', '因为', '所以', '要求', '问题', '情况', '反映', '进行', '现在', '已经', '可以', '这个', '村民'];
const STOP_BIGRAMS = new Set(STOP_WORDS.map((g) => gramKey(g.codePointAt(0)!, g.codePointAt(1)!)));
/** The first characters of the stop bigrams: most bigrams are let through on this alone. */
const STOP_FIRST = new Uint8Array(0x10000);
for (const g of STOP_WORDS) STOP_FIRST[g.charCodeAt(0)] = 1;
const isStop = (first: number, key: number) => first < 0x10000 && STOP_FIRST[first] === 1 && STOP_BIGRAMS.has(key);

/**
 * What one UTF-16 unit becomes in a text that holds only such units (see `fastGrams`): the code point it
 * stands for after NFKC and lower-casing when that is one meaningful character, SPLIT when all it
 * becomes splits runs, and SLOW (0) when the text must take the general path (anything else: combining
 * marks, surrogates, characters that expand into several meaningful ones, scripts not listed below).
 */
const SLOW = 0;
const SPLIT = -1;
const unitTable = new Int32Array(0x10000);
{
	// ASCII, Latin-1's punctuation, general punctuation, CJK symbols and punctuation, the full-width
	// forms (and the CJK ideographs, 4E00–9FFF, taken as themselves in `fastGrams`). Each entry is what
	// the general path makes of the character alone; a unit test checks every one against it.
	const ranges = [
		[0x09, 0x0d],
		[0x20, 0x7e],
		[0xa0, 0xbf],
		[0xd7, 0xd7],
		[0xf7, 0xf7],
		[0x2000, 0x206f],
		[0x3000, 0x303f],
		[0xff01, 0xff5e]
	];
	for (const [from, to] of ranges) {
		for (let unit = from; unit <= to; unit++) {
			const char = String.fromCharCode(unit);
			if (/\p{M}/u.test(char)) continue;
			const folded = char.normalize('NFKC').toLowerCase();
			const meaningful = folded.match(MEANINGFUL)?.join('') ?? '';
			if (meaningful === '') unitTable[unit] = SPLIT;
			else if (meaningful === folded && [...folded].length === 1) unitTable[unit] = folded.codePointAt(0)!;
		}
	}
}

/**
 * Bigram numbers appended text after text to one growing array, reused from text to text: an array of
 * its own for each of a county's 20,000 texts kept the collector busy.
 */
export class Grams {
	data = new Float64Array(4096);
	length = 0;

	push(gram: number) {
		if (this.length === this.data.length) {
			const grown = new Float64Array(2 * this.data.length);
			grown.set(this.data);
			this.data = grown;
		}
		this.data[this.length++] = gram;
	}
}

/**
 * Appends the bigrams of a text made only of the characters of `unitTable` and the common CJK
 * ideographs, in one pass over its UTF-16 units; false (having appended some) for any other text. Such
 * characters normalise and lower-case one by one (none combines with a neighbour), so this gives what
 * the general path gives, much faster: most matters are written in these characters alone.
 */
function fastGrams(text: string, out: Grams): boolean {
	let previous = -1;
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		const cp = unit >= 0x4e00 && unit <= 0x9fff ? unit : unitTable[unit];
		if (cp === SLOW) return false;
		if (cp === SPLIT) {
			previous = -1;
			continue;
		}
		if (previous >= 0 && !(isDigit(previous) && isDigit(cp))) {
			const key = gramKey(previous, cp);
			if (!isStop(previous, key)) out.push(key);
		}
		previous = cp;
	}
	return true;
}

/** Appends the bigrams of any text: NFKC, lower case, runs of meaningful characters. */
function generalGrams(text: string, out: Grams): void {
	for (const run of text.normalize('NFKC').toLowerCase().match(MEANINGFUL) ?? []) {
		let previous = -1;
		for (const char of run) {
			const cp = char.codePointAt(0)!;
			if (previous >= 0 && !(isDigit(previous) && isDigit(cp))) {
				const key = gramKey(previous, cp);
				if (!isStop(previous, key)) out.push(key);
			}
			previous = cp;
		}
	}
}

/**
 * Appends every bigram of a text as a number (two code points in one: see `gramText`), in text order,
 * repeats included (NFKC-normalised, so full-width letters and digits count as half-width).
 */
export function appendGrams(text: string, out: Grams): void {
	const mark = out.length;
	if (!fastGrams(text, out)) {
		out.length = mark;
		generalGrams(text, out);
	}
}

/** The bigrams of one text (see `appendGrams`). */
export function textGrams(text: string): number[] {
	const out = new Grams();
	appendGrams(text, out);
	return Array.from(out.data.subarray(0, out.length));
}

/** The same bigrams by the general path alone: what `textGrams` must equal (for tests). */
export function generalTextGrams(text: string): number[] {
	const out = new Grams();
	generalGrams(text, out);
	return Array.from(out.data.subarray(0, out.length));
}

/** The bigram counts of a text. */
export function profile(text: string): Profile {
	return profileOf(textGrams(text));
}

function profileOf(grams: number[]): Profile {
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

/** Cosine similarity of a profile with another or with a total, 0 (nothing shared) to 1 (the same mix). */
export function cosine(a: Profile, b: Profile): number {
	if (a.squares === 0 || b.squares === 0) return 0;
	let dot = 0;
	// Both ascending: one pass over the two.
	for (let i = 0, j = 0; i < a.keys.length && j < b.keys.length; ) {
		if (a.keys[i] === b.keys[j]) dot += a.counts[i++] * b.counts[j++];
		else if (a.keys[i] < b.keys[j]) i++;
		else j++;
	}
	return dot / Math.sqrt(a.squares * b.squares);
}

/** `localeCompare` as a collator made once: the same order (ECMA-402 defines the one by the other), less work. */
const collator = new Intl.Collator();

/** A cluster's bigrams, by their number within the split: the bigram, how many members hold it, the first that does. */
export interface TermSource {
	grams: readonly number[];
	holders: Int32Array;
	first: Int32Array;
	/** The text of a bigram (kept by the caller, so each is made once). */
	text(id: number): string;
}

/**
 * The bigrams at least half of a cluster's `members` hold, most shared first, then in the collation
 * order of their text: a cluster's gist. `ids` are the cluster's bigrams (see `TermSource`); those whose
 * texts collate alike are ordered by the first member holding them, then by the bigram, as a stable sort
 * of them listed member by member (each member's new ones ascending) would. Only `limit` are kept, so
 * they are picked in one pass rather than all sorted, without an object per bigram.
 */
export function sharedTerms(ids: readonly number[], members: number, of: TermSource, limit = 5): string[] {
	const half = Math.ceil(members / 2);
	const { grams, holders, first } = of;
	// Whether bigram `a` comes after bigram `b`.
	const after = (a: number, b: number) => {
		if (holders[a] !== holders[b]) return holders[a] < holders[b];
		const order = collator.compare(of.text(a), of.text(b));
		return order !== 0 ? order > 0 : first[a] !== first[b] ? first[a] > first[b] : grams[a] > grams[b];
	};
	const top: number[] = [];
	for (const id of ids) {
		if (holders[id] < half) continue;
		let at = top.length;
		while (at > 0 && after(top[at - 1], id)) at--;
		if (at >= limit) continue;
		top.splice(at, 0, id);
		if (top.length > limit) top.pop();
	}
	return top.map((id) => of.text(id));
}
