/**
 * Loads the server's web fonts for the rare Han characters on the page (Extension A, planes 2 and 3:
 * 𠮷 U+20BB7, 䶮 U+4DAE, 𡈼 U+2123C), which many phones' system fonts lack. Only the characters shown
 * are asked for, so a slow link downloads a few kilobytes. Each face is its own family in the CSS
 * stack (src/app.css), one per font of the server's chain, so the browser's per-character fallback
 * picks whichever has the glyph.
 */

export const RARE_FAMILIES = ['Pingli Rare', 'Pingli Rare A', 'Pingli Rare B'] as const;

/** The server's limit per request. */
const MAX_PER_REQUEST = 64;

export const isRare = (cp: number) => (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x3ffff);

/** The rare code points of `text`, whole characters (a surrogate pair is one code point), added to `into`. */
export function collectRare(text: string, into: Set<number> = new Set()): Set<number> {
	// A quick pre-check: most text has neither Extension A nor a surrogate pair.
	if (!/[\u3400-\u4dbf\ud800-\udbff]/.test(text)) return into;
	for (const ch of text) {
		const cp = ch.codePointAt(0)!;
		if (isRare(cp)) into.add(cp);
	}
	return into;
}

/** The request URLs and unicode-range of one batch of new code points (sorted, as the server wants). */
export function rareFontRequests(codePoints: Iterable<number>): { family: string; url: string; unicodeRange: string }[] {
	const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
	const out: { family: string; url: string; unicodeRange: string }[] = [];
	for (let i = 0; i < sorted.length; i += MAX_PER_REQUEST) {
		const batch = sorted.slice(i, i + MAX_PER_REQUEST);
		const c = batch.map((cp) => cp.toString(16)).join('.');
		const unicodeRange = batch.map((cp) => `U+${cp.toString(16)}`).join(', ');
		// Extension A lives in Noto Sans Hans only; the Hanazono cuts matter for the planes above.
		const fonts = batch.some((cp) => cp > 0xffff) ? [0, 1, 2] : [0];
		for (const f of fonts) out.push({ family: RARE_FAMILIES[f], url: `/fonts/rare?f=${f}&c=${c}`, unicodeRange });
	}
	return out;
}

/** Scans the page now and after each change; returns a function that stops watching. */
export function watchRareCharacters(root: HTMLElement = document.body): () => void {
	const requested = new Set<number>();
	let timer: ReturnType<typeof setTimeout> | undefined;

	const load = (found: Set<number>) => {
		const fresh = [...found].filter((cp) => !requested.has(cp));
		if (fresh.length === 0) return;
		for (const cp of fresh) requested.add(cp);
		for (const { family, url, unicodeRange } of rareFontRequests(fresh)) {
			const face = new FontFace(family, `url(${url})`, { unicodeRange, display: 'swap' });
			document.fonts.add(face);
			// A failed load (offline, over budget) leaves the system's fallback: nothing to tell the user.
			face.load().catch(() => {});
		}
	};

	const scan = () => {
		timer = undefined;
		const found = collectRare(root.textContent ?? '');
		for (const field of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) collectRare(field.value, found);
		load(found);
	};
	const later = () => {
		if (timer === undefined) timer = setTimeout(scan, 200);
	};

	scan();
	const observer = new MutationObserver(later);
	observer.observe(root, { subtree: true, childList: true, characterData: true });
	// Typed values are not text nodes: look at the field that changed.
	const onInput = (e: Event) => {
		const t = e.target;
		if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement) load(collectRare(t.value));
	};
	root.addEventListener('input', onInput);
	return () => {
		observer.disconnect();
		root.removeEventListener('input', onInput);
		clearTimeout(timer);
	};
}
