/**
 * An address cut to its first few characters (province, county or township), e.g. 江西省永修县****.
 * Counted in code points, so a character outside the BMP is never split.
 */
export function maskAddress(address: string): string {
	const chars = Array.from(address);
	const keep = Math.min(6, Math.max(0, chars.length - 4));
	return `${chars.slice(0, keep).join('')}****`;
}
