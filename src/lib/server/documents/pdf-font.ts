import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The fonts of our PDFs and the font engine pdf-lib embeds them with.
 *
 * A name may use any character of GB 18030-2022, including the extension planes (𠮷 U+20BB7, 𡈼
 * U+2123C), and a copy must print it and give it back when the text is copied out. No one free font
 * has them all, so the PDFs use a chain, and each character is set in the first font that has it:
 *
 * 1. Noto Sans Hans (SIL OFL 1.1) from the npm package `@embedpdf/fonts-sc`: 30,000 glyphs, all of the
 *    BMP's CJK Unified Ideographs and Extension A bar a few dozen, Latin and punctuation.
 * 2. Hanazono Mincho A and B (花園明朝, GlyphWiki project, SIL OFL 1.1 or the Hanazono Font License;
 *    Debian package `fonts-hanazono` 20170904), cut down to the Han characters Noto lacks: the rest of
 *    the BMP and Extensions B to F. No npm package ships a font with these planes, so the two cut files
 *    are kept in `vendor/fonts/` (31 MB; `vendor/fonts/README.md` says how they were made).
 *
 * Each document embeds only the fonts its text needs, each subset to the glyphs it uses, so a copy
 * stays around 100 KB. The chain's files are read and parsed once per process; a TrueType file is
 * parsed lazily, so the large fallback costs little until a rare character asks for it.
 *
 * The engine is fontkit 2 rather than pdf-lib's own fork (`@pdf-lib/fontkit` 1.1.1): that fork's CFF
 * subsetter drops the local subroutines of CID-keyed fonts, and the subset it writes is rejected by
 * PDF readers ("Embedded font file may be invalid"; the Chinese text does not render), while fontkit 2
 * writes a valid subset. pdf-lib reads a subset through `encodeStream()`, which fontkit 2 replaced
 * with `encode()`; `pdfFontkit` bridges that one call.
 */

/** One font of the chain: where its bytes come from. */
interface ChainFont {
	name: string;
	path(): string;
}

// The vendored files are found from the working directory, which is the repository root for the
// server (`npm run serve`), the tests and the scripts alike; the bundled server code has moved away
// from this file, so a path relative to it would not hold.
const vendor = (file: string) => join(process.cwd(), 'vendor', 'fonts', file);

export const FONT_CHAIN: readonly ChainFont[] = [
	{
		name: 'NotoSansHans',
		// The package exports only its metadata module; the font files sit beside it in `fonts/`.
		path: () => join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf')
	},
	{ name: 'HanaMinA', path: () => vendor('HanaMinA-han.ttf') },
	{ name: 'HanaMinB', path: () => vendor('HanaMinB-han.ttf') }
];

/** A glyph outline command in font units, y up (fontkit's `Path.commands`). */
export interface PathCommand {
	command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
	args: number[];
}

type FontkitFont = ReturnType<typeof fontkit.create> & {
	unitsPerEm: number;
	hasGlyphForCodePoint(codePoint: number): boolean;
	glyphForCodePoint(codePoint: number): { path: { commands: PathCommand[] }; advanceWidth: number };
	createSubset(): { encode(): Uint8Array };
};

/** A chain font read and parsed: its bytes for pdf-lib and fontkit's view for coverage. */
export interface LoadedFont {
	name: string;
	bytes: Uint8Array;
	has(codePoint: number): boolean;
	/** The outline of a character, in ems (advance width 1 for a Han character), y up. */
	outline(codePoint: number): { commands: PathCommand[]; advance: number };
}

const loaded = new Map<string, Promise<LoadedFont>>();

function loadFont(font: ChainFont): Promise<LoadedFont> {
	let p = loaded.get(font.name);
	if (!p) {
		p = readFile(font.path()).then((buf) => {
			const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
			const parsed = fontkit.create(buf) as FontkitFont;
			const em = parsed.unitsPerEm;
			return {
				name: font.name,
				bytes,
				has: (cp: number) => parsed.hasGlyphForCodePoint(cp),
				outline: (cp: number) => {
					const glyph = parsed.glyphForCodePoint(cp);
					return {
						commands: glyph.path.commands.map((c) => ({ command: c.command, args: c.args.map((a) => a / em) })),
						advance: glyph.advanceWidth / em
					};
				}
			};
		});
		p.catch(() => loaded.delete(font.name));
		loaded.set(font.name, p);
	}
	return p;
}

/** The whole chain, read once per process. */
export function loadFontChain(): Promise<LoadedFont[]> {
	return Promise.all(FONT_CHAIN.map(loadFont));
}

/**
 * The index of the font that sets `codePoint`: the first in the chain that has a glyph for it, or 0
 * (the main font's blank box) when none has. Whitespace and controls always go to the main font.
 */
export function fontIndexFor(chain: readonly Pick<LoadedFont, 'has'>[], codePoint: number): number {
	if (codePoint < 0x80) return 0;
	const i = chain.findIndex((f) => f.has(codePoint));
	return i < 0 ? 0 : i;
}

/** Text cut into runs that each use one font of the chain, in order. */
export function splitRuns(chain: readonly Pick<LoadedFont, 'has'>[], text: string): { font: number; text: string }[] {
	const runs: { font: number; text: string }[] = [];
	for (const ch of text) {
		const font = fontIndexFor(chain, ch.codePointAt(0)!);
		const last = runs.at(-1);
		if (last && last.font === font) last.text += ch;
		else runs.push({ font, text: ch });
	}
	return runs;
}

/** fontkit 2 with the `encodeStream()` that pdf-lib's subset embedder calls. */
export const pdfFontkit = {
	create(bytes: Uint8Array) {
		// A view, not a copy: the fallback files are tens of megabytes and each document opens them.
		const font = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as FontkitFont;
		const createSubset = font.createSubset.bind(font);
		font.createSubset = () => {
			const subset = createSubset();
			return Object.assign(subset, {
				encodeStream() {
					const stream = new EventEmitter();
					// pdf-lib attaches its listeners after the call returns.
					queueMicrotask(() => {
						stream.emit('data', subset.encode());
						stream.emit('end');
					});
					return stream;
				}
			});
		};
		return font;
	}
};
