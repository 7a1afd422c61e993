import { diffArrays } from 'diff';

/**
 * What changed between two texts, paragraph by paragraph and, inside a changed paragraph, word by
 * word. Pure: no DB, no clock but the one passed in. Used for the record's versions and for the
 * agreement against its last frozen text; computed on the server and rendered as <ins>/<del>.
 *
 * Chinese has no spaces, so words come from `Intl.Segmenter('zh', { granularity: 'word' })` (ICU's
 * dictionary, built into Node). A segment never ends inside a grapheme, so a character outside the
 * BMP (𠮷, a surrogate pair in UTF-16) is never split into halves that would render as �.
 *
 * The work is bounded: jsdiff (`diff`) gives up past `maxEditLength` or `timeout` and returns
 * undefined; a paragraph it gives up on, or any past the overall deadline, is shown whole as deleted
 * then inserted (`coarse`), which is still true, only less precise.
 */

/** A paragraph-like block: a record's heading, paragraph or list item, or a line of the agreement. */
export interface DiffBlockInput {
	kind: 'heading' | 'paragraph' | 'item';
	level?: number;
	text: string;
}

/** A run of text that is unchanged, inserted or deleted. */
export interface DiffPart {
	op: 'same' | 'ins' | 'del';
	text: string;
}

/** One block of the result: unchanged, changed in place, or added or removed whole. */
export interface DiffBlock {
	kind: DiffBlockInput['kind'];
	level?: number;
	change: 'same' | 'changed' | 'added' | 'removed';
	parts: DiffPart[];
}

export interface TextDiff {
	blocks: DiffBlock[];
	/** Runs of inserted and of deleted text (what a reader counts as "places"). */
	insertions: number;
	deletions: number;
	/** Some paragraph was too long or too different to compare word by word within the limits. */
	coarse: boolean;
}

export interface DiffLimits {
	/** Most block edits the paragraph-level diff will look for. */
	maxBlockEdits: number;
	/** Most word edits inside one paragraph. */
	maxWordEdits: number;
	/** Paragraphs with more words than this are compared whole. */
	maxWords: number;
	/** Total time for the whole diff, in milliseconds. */
	budgetMs: number;
	/** A clock, for tests. */
	now: () => number;
}

export const DEFAULT_LIMITS: DiffLimits = { maxBlockEdits: 4000, maxWordEdits: 2000, maxWords: 20_000, budgetMs: 400, now: () => performance.now() };

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Longest run compared character by character when refining a replaced word. */
const MAX_REFINE = 200;

/** Words and the spaces and punctuation between them, in order; joined they give back `text`. */
export function words(text: string): string[] {
	return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Compares two plain texts line by line (each line a paragraph), e.g. two agreement texts. */
export function diffText(before: string, after: string, limits: Partial<DiffLimits> = {}): TextDiff {
	const lines = (text: string): DiffBlockInput[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n').map((line) => ({ kind: 'paragraph', text: line })));
	return diffBlocks(lines(before), lines(after), limits);
}

/** Compares two lists of blocks: which blocks changed, then word by word inside changed ones. */
export function diffBlocks(before: DiffBlockInput[], after: DiffBlockInput[], limits: Partial<DiffLimits> = {}): TextDiff {
	const lim = { ...DEFAULT_LIMITS, ...limits };
	const deadline = lim.now() + lim.budgetMs;
	const out: TextDiff = { blocks: [], insertions: 0, deletions: 0, coarse: false };
	const key = (b: DiffBlockInput) => `${b.kind}:${b.level ?? ''}:${b.text}`;
	const changes =
		diffArrays(before.map(key), after.map(key), { maxEditLength: lim.maxBlockEdits, timeout: Math.max(1, lim.budgetMs) }) ??
		// Gave up: everything old went, everything new came.
		[
			{ value: before.map(key), added: false, removed: true, count: before.length },
			{ value: after.map(key), added: true, removed: false, count: after.length }
		];
	let i = 0;
	let j = 0;
	let removed: DiffBlockInput[] = [];
	const flushRemoved = (added: DiffBlockInput[]) => {
		const pairs = Math.min(removed.length, added.length);
		for (let k = 0; k < pairs; k++) out.blocks.push(changedBlock(removed[k], added[k], lim, deadline, out));
		for (const b of removed.slice(pairs)) out.blocks.push(wholeBlock(b, 'removed', out));
		for (const b of added.slice(pairs)) out.blocks.push(wholeBlock(b, 'added', out));
		removed = [];
	};
	for (const change of changes) {
		const n = change.count ?? change.value.length;
		if (change.removed) {
			removed.push(...before.slice(i, i + n));
			i += n;
		} else if (change.added) {
			flushRemoved(after.slice(j, j + n));
			j += n;
		} else {
			flushRemoved([]);
			for (const b of after.slice(j, j + n)) out.blocks.push({ ...shape(b), change: 'same', parts: b.text === '' ? [] : [{ op: 'same', text: b.text }] });
			i += n;
			j += n;
		}
	}
	flushRemoved([]);
	return out;
}

function shape(b: DiffBlockInput): Pick<DiffBlock, 'kind' | 'level'> {
	return b.level === undefined ? { kind: b.kind } : { kind: b.kind, level: b.level };
}

function wholeBlock(b: DiffBlockInput, change: 'added' | 'removed', out: TextDiff): DiffBlock {
	if (b.text !== '') {
		if (change === 'added') out.insertions++;
		else out.deletions++;
	}
	return { ...shape(b), change, parts: b.text === '' ? [] : [{ op: change === 'added' ? 'ins' : 'del', text: b.text }] };
}

/** One paragraph that was edited in place: its words compared, within the limits. */
function changedBlock(old: DiffBlockInput, now: DiffBlockInput, lim: DiffLimits, deadline: number, out: TextDiff): DiffBlock {
	const a = words(old.text);
	const b = words(now.text);
	const left = deadline - lim.now();
	const changes =
		a.length <= lim.maxWords && b.length <= lim.maxWords && left > 0
			? diffArrays(a, b, { maxEditLength: lim.maxWordEdits, timeout: Math.max(1, Math.floor(left)) })
			: undefined;
	const parts: DiffPart[] = [];
	const push = (op: DiffPart['op'], text: string) => {
		if (text === '') return;
		const last = parts[parts.length - 1];
		if (last?.op === op) last.text += text;
		else parts.push({ op, text });
	};
	if (changes) {
		const runs = changes.map((c) => ({ op: (c.added ? 'ins' : c.removed ? 'del' : 'same') as DiffPart['op'], text: c.value.join('') }));
		for (let k = 0; k < runs.length; k++) {
			const next = runs[k + 1];
			if (runs[k].op === 'del' && next?.op === 'ins') {
				for (const r of refine(runs[k].text, next.text, deadline - lim.now())) push(r.op, r.text);
				k++;
			} else push(runs[k].op, runs[k].text);
		}
	} else {
		out.coarse = true;
		push('del', old.text);
		push('ins', now.text);
	}
	for (const p of parts) {
		if (p.op === 'ins') out.insertions++;
		else if (p.op === 'del') out.deletions++;
	}
	return { ...shape(now), change: 'changed', parts };
}

/**
 * A word replaced by another ("围墙" → "围约半米墙", "五千元" → "六千元") is compared again character by
 * character (graphemes, so 𠮷 stays whole), and the finer result kept when the two share at least a
 * third of their characters; otherwise the words are unrelated and showing them whole reads better.
 */
function refine(del: string, ins: string, msLeft: number): DiffPart[] {
	const whole: DiffPart[] = [
		{ op: 'del', text: del },
		{ op: 'ins', text: ins }
	];
	const a = Array.from(graphemes.segment(del), (g) => g.segment);
	const b = Array.from(graphemes.segment(ins), (g) => g.segment);
	if (a.length > MAX_REFINE || b.length > MAX_REFINE || msLeft <= 0) return whole;
	const changes = diffArrays(a, b, { maxEditLength: MAX_REFINE, timeout: Math.max(1, Math.floor(msLeft)) });
	if (!changes) return whole;
	const same = changes.filter((c) => !c.added && !c.removed).reduce((n, c) => n + c.value.length, 0);
	if (same * 3 < Math.max(a.length, b.length)) return whole;
	// Deletions before insertions at each change, as the word-level runs were.
	const out: DiffPart[] = [];
	for (const c of changes) out.push({ op: c.added ? 'ins' : c.removed ? 'del' : 'same', text: c.value.join('') });
	return out;
}
