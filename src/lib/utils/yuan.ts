/**
 * Money in the agreement is held in whole fen. One way to write it, shared by the canonical text (where
 * the exact characters are hashed) and the pages: 120050 → "1200.50元", no grouping separators.
 */
export function formatYuan(fen: number): string {
	if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`amount must be whole non-negative fen, got ${fen}`);
	return `${yuanInput(fen)}元`;
}

/** Fen as an amount field shows it for editing: "1200.50", or "" for none. */
export function yuanInput(fen: number | null): string {
	return fen === null ? '' : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
