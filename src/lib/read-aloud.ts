import { amountInCapitals } from './utils/yuan-capitals';

/**
 * Text prepared for reading aloud (ReadAloud.svelte). Pure, so it is unit-tested without a browser.
 *
 * A sentence ends at 。！？；, at their ASCII forms, or at a line break (an agreement's numbered terms
 * are lines without a full stop). Each keeps its place in the page's text, so the sentence being read
 * can be highlighted where it stands.
 */
export interface Sentence {
	/** Offsets in the text it was cut from, end exclusive. */
	start: number;
	end: number;
	/** What is shown (the sentence as written). */
	text: string;
	/** What is spoken: amounts in words, as a court document says them. */
	spoken: string;
}

const ENDS = /[。！？；!?;]+|\n+/g;

export function splitSentences(text: string): Sentence[] {
	const out: Sentence[] = [];
	let from = 0;
	const push = (start: number, end: number) => {
		const raw = text.slice(start, end);
		const lead = raw.length - raw.trimStart().length;
		const trimmed = raw.trim();
		// Pure punctuation or numbering left between breaks has nothing to read.
		if (!/[\p{L}\p{N}]/u.test(trimmed)) return;
		out.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed, spoken: spokenText(trimmed) });
	};
	for (const match of text.matchAll(ENDS)) {
		const end = match[0].startsWith('\n') ? match.index : match.index + match[0].length;
		push(from, end);
		from = match.index + match[0].length;
	}
	push(from, text.length);
	return out;
}

/** A figure in yuan (50,000.00 or 50000 or ¥1,680.32) as whole fen, or null when it is not one. */
function toFen(figure: string): number | null {
	const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(figure.replace(/,/g, ''));
	if (!m) return null;
	return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/**
 * Amounts read as words. "50,000.00元（大写：人民币伍万元整）" is written twice on paper; read once, in words.
 * A figure followed by 元 (or led by ¥/￥) becomes its capitals (伍万元整): a voice reading "50,000.00"
 * says digit by digit or "point zero zero", which an elderly listener cannot follow.
 */
export function spokenText(text: string): string {
	return text
		.replace(/[¥￥]?\s*(\d[\d,]*(?:\.\d{1,2})?)\s*元\s*[（(]\s*大写[：:]\s*([^）)]+)[）)]/g, (_, _figure, capitals: string) => capitals.replace(/^人民币/, ''))
		.replace(/[¥￥]\s*(\d[\d,]*(?:\.\d{1,2})?)(\s*元)?|(\d[\d,]*(?:\.\d{1,2})?)\s*元/g, (all, a?: string, _yuan?: string, b?: string) => {
			const fen = toFen((a ?? b)!);
			return fen === null ? all : amountInCapitals(fen).replace(/^人民币/, '');
		});
}
