/**
 * Caret and presence colours: dark enough that a white name label on them stays readable
 * (contrast ≥ 4.5:1), distinct from each other, and never the app's own red.
 */
const PALETTE = ['#1f5fa8', '#1d6b36', '#6a3d9a', '#8a4b08', '#0f6e6e', '#a0306e', '#505a1e', '#3b4cc0', '#37474f'];

/** A stable colour for a user: the same person has the same colour on every device and visit. */
export function userColor(userId: number): string {
	// Knuth's multiplicative hash spreads consecutive ids across the palette.
	const h = Math.imul(userId >>> 0, 2654435761) >>> 0;
	return PALETTE[h % PALETTE.length];
}
