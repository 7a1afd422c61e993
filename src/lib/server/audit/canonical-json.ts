/**
 * Canonical JSON: object keys sorted, no whitespace, strings NFC-normalised. The same content always
 * yields the same bytes, so a hash over it is stable across drivers and restarts.
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') {
		if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
		if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number');
		return JSON.stringify(value ?? null);
	}
	if (value instanceof Date) return JSON.stringify(value.toISOString());
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k.normalize('NFC'))}:${canonicalJson(v)}`).join(',')}}`;
}
