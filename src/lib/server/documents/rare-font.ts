import subsetFont from 'subset-font';
import type { RateLimitRule } from '../auth/rate-limit';
import { fontIndexFor, loadFontChain } from './pdf-font';

/**
 * Web fonts for the rare Han characters a page shows (𠮷 U+20BB7, 䶮 U+4DAE, 𡈼 U+2123C), cut from
 * the PDFs' font chain (Noto Sans Hans, then the Hanazono Mincho cuts), so a phone that lacks Extension
 * A or the extension planes downloads a few kilobytes for the names on screen instead of a 30 MB font.
 * The chain's fonts differ in format (CFF and TrueType outlines), so one answer holds the glyphs of
 * one of them: the page loads one face per chain font, each a family of its own in the CSS stack.
 *
 * The subset is made with hb-subset (HarfBuzz, through `subset-font`) rather than fontkit: fontkit's
 * `createSubset()` writes a font for PDF embedding only, without the cmap, name, OS/2 and post tables
 * a browser requires (Chromium's font sanitiser rejects it), while hb-subset writes a complete font.
 */

/**
 * The endpoint is public on purpose: the sign-in, tracking and signing pages show names too. A page asks once per new
 * set of rare characters and the browser keeps the answer for a year, so the budget is generous for
 * a village office behind one address and still stops a script from making the server cut fonts in a loop.
 */
export const RARE_FONT_PER_ADDRESS: RateLimitRule = { name: 'rare-font:address', max: 600, windowMs: 10 * 60_000 };

/** At most this many characters per request: a page of names needs a handful; the cost grows with it. */
export const MAX_CODE_POINTS = 64;

/** Extension A and the extension planes 2 and 3: what the system CJK fonts of many phones lack. */
export const RARE_RANGES: readonly (readonly [number, number])[] = [
	[0x3400, 0x4dbf],
	[0x20000, 0x3ffff]
];

export const isRare = (cp: number) => RARE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);

/**
 * The code points of `?c=`: lowercase hex joined by dots, strictly ascending (sorted, no repeats, so
 * one set of characters has one URL and one cache entry), all rare, at most MAX_CODE_POINTS. Null
 * for anything else.
 */
export function parseCodePoints(param: string | null): number[] | null {
	if (param === null || param.length > MAX_CODE_POINTS * 6 || !/^[1-9a-f][0-9a-f]{3,4}(\.[1-9a-f][0-9a-f]{3,4})*$/.test(param)) return null;
	const cps = param.split('.').map((h) => parseInt(h, 16));
	if (cps.length > MAX_CODE_POINTS) return null;
	for (let i = 0; i < cps.length; i++) {
		if (!isRare(cps[i]) || (i > 0 && cps[i] <= cps[i - 1])) return null;
	}
	return cps;
}

/** Which font of the chain `?f=` names: 0 Noto Sans Hans, 1 Hanazono A cut, 2 Hanazono B cut. */
export function parseChainIndex(param: string | null): number | null {
	return param !== null && /^[0-2]$/.test(param) ? Number(param) : null;
}

/** Some Han character the font has, for an answer that would otherwise hold none. */
function anyGlyph(font: { has(cp: number): boolean }): number {
	for (const [lo, hi] of [[0x3400, 0x9fff], ...RARE_RANGES]) {
		for (let cp = lo; cp <= hi; cp++) if (font.has(cp)) return cp;
	}
	return 0x20;
}

// Recent subsets by URL key: a popular name is cut once per process, not once per visitor.
const LRU_SIZE = 200;
const recent = new Map<string, Promise<Uint8Array>>();

/**
 * A TrueType font with the glyphs of `codePoints` that the chain sets in font `chainIndex`; the
 * others are left out (another face, or the browser's own fallback, draws them). The arguments must
 * have passed `parseChainIndex` and `parseCodePoints`.
 */
export function rareFontSubset(chainIndex: number, codePoints: readonly number[]): Promise<Uint8Array> {
	const key = `${chainIndex}:${codePoints.join('.')}`;
	const hit = recent.get(key);
	if (hit) {
		recent.delete(key);
		recent.set(key, hit);
		return hit;
	}
	const made = (async () => {
		const chain = await loadFontChain();
		const font = chain[chainIndex];
		// Each character comes from the same font as in the PDFs, and from that one only: the faces of
		// the three fonts are separate families, and a glyph in two of them would be fetched twice.
		const own = codePoints.filter((cp) => font.has(cp) && fontIndexFor(chain, cp) === chainIndex);
		// A font with an empty cmap is refused by the browser (the face fails to load); one glyph outside
		// the face's unicode-range keeps it valid and is never drawn.
		const text = String.fromCodePoint(...(own.length > 0 ? own : [anyGlyph(font)]));
		const source = Buffer.from(font.bytes.buffer, font.bytes.byteOffset, font.bytes.byteLength);
		// No hinting (the cuts have none) and no layout closure: a Han name needs no substitutions.
		const out = await subsetFont(source, text, { targetFormat: 'truetype', noHinting: true, noLayoutClosure: true });
		return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
	})();
	made.catch(() => recent.delete(key));
	recent.set(key, made);
	if (recent.size > LRU_SIZE) recent.delete(recent.keys().next().value!);
	return made;
}
