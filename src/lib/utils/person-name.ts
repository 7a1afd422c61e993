/**
 * The characters written between the parts of a transliterated name (阿卜杜拉·买买提): the proper
 * middle dot U+00B7 and what keyboards and input methods put in its place — the bullet •, the
 * katakana middle dot ・ (and its half-width form), the hyphenation point ‧, the dot operators ∙ ⋅,
 * the Greek ano teleia, the Hangul ㆍ and the word separator ⸱.
 */
const NAME_SEPARATORS = /[\u00B7\u0387\u2022\u2027\u2219\u22C5\u30FB\uFF65\u318D\u2E31\u16EB]/gu;

/**
 * A person's name reduced to what identifies it when typed on a phone: full-width and half-width
 * forms unified (NFKC), and spaces, middle dots and invisible format characters dropped. Used only to
 * compare names, never to store or show one. Characters outside the BMP (𠮷) pass unchanged.
 */
export function nameKey(name: string): string {
	return name.normalize('NFKC').replace(NAME_SEPARATORS, '').replace(/[\s\p{Cf}]+/gu, '');
}

/** Whether a typed name confirms a recorded one: `阿卜杜拉•买买提` and `阿卜杜拉买买提` are `阿卜杜拉·买买提`. */
export function sameName(typed: string, recorded: string): boolean {
	const key = nameKey(typed);
	return key.length > 0 && key === nameKey(recorded);
}
