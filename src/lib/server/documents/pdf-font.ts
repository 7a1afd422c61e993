import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The Chinese font of our PDFs and the font engine pdf-lib embeds it with.
 *
 * The font is Noto Sans Hans (SIL Open Font License 1.1) from the npm package `@embedpdf/fonts-sc`:
 * the GB2312 set, an OpenType/CFF file of 8 MB, which pdf-lib subsets to the glyphs a document uses.
 * Rare characters outside GB2312 (some names) have no glyph in it and print as a blank box.
 *
 * The engine is fontkit 2 rather than pdf-lib's own fork (`@pdf-lib/fontkit` 1.1.1): that fork's CFF
 * subsetter drops the local subroutines of CID-keyed fonts, and the subset it writes is rejected by
 * PDF readers ("Embedded font file may be invalid"; the Chinese text does not render), while fontkit 2
 * writes a valid subset. pdf-lib reads a subset through `encodeStream()`, which fontkit 2 replaced
 * with `encode()`; `pdfFontkit` bridges that one call.
 */

const FONT_FILE = 'NotoSansHans-Regular.otf';

let fontBytes: Promise<Uint8Array> | null = null;

/** The font file's bytes, read once per process from the installed package. */
export function chineseFont(): Promise<Uint8Array> {
	fontBytes ??= (async () => {
		// The package exports only its metadata module; the font files sit beside it in `fonts/`.
		const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
		return new Uint8Array(await readFile(join(dirname(entry), '..', 'fonts', FONT_FILE)));
	})().catch((err) => {
		fontBytes = null;
		throw err;
	});
	return fontBytes;
}

type FontkitFont = ReturnType<typeof fontkit.create> & { createSubset(): { encode(): Uint8Array } };

/** fontkit 2 with the `encodeStream()` that pdf-lib's subset embedder calls. */
export const pdfFontkit = {
	create(bytes: Uint8Array) {
		const font = fontkit.create(Buffer.from(bytes)) as FontkitFont;
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
