/**
 * Resident identity card numbers (GB 11643-1999): 17 digits + a check character computed with
 * ISO 7064 MOD 11-2. Full-width characters and a lower-case x are normalised first.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function normalizeIdNumber(input: string): string | null {
	const s = input.normalize('NFKC').replace(/\s/g, '').toUpperCase();
	if (!/^\d{17}[\dX]$/.test(s)) return null;
	const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
	if (CHECK[sum % 11] !== s[17]) return null;
	// The birth date (positions 7–14) must be a real date.
	const y = Number(s.slice(6, 10));
	const m = Number(s.slice(10, 12));
	const d = Number(s.slice(12, 14));
	const date = new Date(Date.UTC(y, m - 1, d));
	if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
	return s;
}

/** e.g. 3604**********1234: the first four and last four stay, as the domain notes ask. */
export function maskIdNumber(id: string): string {
	return id.length <= 8 ? '*'.repeat(id.length) : id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}
