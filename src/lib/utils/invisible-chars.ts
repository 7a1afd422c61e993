/**
 * Characters that change how text around them is shown without being seen themselves: bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the LRM/RLM/ALM marks), zero-width
 * spaces and joiners, word joiners, invisible operators and the BOM. On an agreement, a U+202E inside
 * a name makes "张三\u202E四李" read as another name, so free text drops them when it comes in.
 *
 * Two joiners have a real use and are kept where they have it: U+200D inside an emoji sequence
 * (👨‍👩‍👧) and U+200C between letters of a joining script (Uyghur, Persian). CJK, including the
 * planes beyond the BMP (𠮷), separators such as · and •, and variation selectors (a CJK character's
 * standardised variant, Mongolian forms) are untouched.
 */
const ALWAYS = /[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]/gu;
/** A zero-width joiner that does not sit between two emoji (an emoji may carry U+FE0F before it). */
const STRAY_ZWJ = /(?<!\p{Extended_Pictographic}[\ufe0f\u{1f3fb}-\u{1f3ff}]?)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;
/** A zero-width non-joiner that does not sit between two letters of a joining (Arabic-script) word. */
const STRAY_ZWNJ = /(?<!\p{Script=Arabic})\u200c|\u200c(?!\p{Script=Arabic})/gu;

export function stripInvisible(text: string): string {
	return text.replace(ALWAYS, '').replace(STRAY_ZWJ, '').replace(STRAY_ZWNJ, '');
}

/** What every free-text field does first: NFC, then the invisible characters out. */
export const normalizeText = (text: string): string => stripInvisible(text.normalize('NFC'));
