import { rgb, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { loadFontChain, pdfFontkit, splitRuns, type LoadedFont } from './pdf-font';

/**
 * The font chain bound to one PDF: measures and draws text, each character in the first font of the
 * chain that has it (see pdf-font.ts). pdf-lib embeds fonts before drawing and asynchronously, so a
 * document names all the text it will draw up front; only the fonts that text needs are embedded.
 */
export class PdfText {
	private constructor(
		private readonly chain: LoadedFont[],
		private readonly fonts: (PDFFont | null)[]
	) {}

	/** Embeds (subset) the fonts that `texts` need; the main font always. */
	static async embed(doc: PDFDocument, texts: readonly string[]): Promise<PdfText> {
		doc.registerFontkit(pdfFontkit as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
		const chain = await loadFontChain();
		const needed = new Set([0]);
		for (const text of texts) for (const run of splitRuns(chain, text)) needed.add(run.font);
		const fonts = await Promise.all(chain.map((f, i) => (needed.has(i) ? doc.embedFont(f.bytes, { subset: true }) : null)));
		return new PdfText(chain, fonts);
	}

	/** Runs of the text with the embedded font that sets each; a font left out falls back to the main one. */
	private runs(text: string): { font: PDFFont; text: string }[] {
		return splitRuns(this.chain, text).map((r) => ({ font: this.fonts[r.font] ?? this.fonts[0]!, text: r.text }));
	}

	widthOfTextAtSize(text: string, size: number): number {
		return this.runs(text).reduce((sum, r) => sum + r.font.widthOfTextAtSize(r.text, size), 0);
	}

	/** Draws one line starting at (x, y). */
	draw(page: PDFPage, text: string, options: { x: number; y: number; size: number; color?: RGB }): void {
		let x = options.x;
		for (const r of this.runs(text)) {
			page.drawText(r.text, { x, y: options.y, size: options.size, font: r.font, color: options.color ?? rgb(0, 0, 0) });
			x += r.font.widthOfTextAtSize(r.text, options.size);
		}
	}
}
