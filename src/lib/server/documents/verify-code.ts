/**
 * Verification codes printed on agreement copies: 16 characters of a 32-letter alphabet without
 * look-alikes (no O or I; no 0 or 1), so 80 random bits — not guessable within any rate limit — that an
 * elderly party can read out on the phone. Typed codes are forgiving: case, spaces and dashes ignored.
 */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newVerifyCode(): string {
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	// 256 is a multiple of 32, so `b & 31` is uniform.
	return [...bytes].map((b) => ALPHABET[b & 31]).join('');
}

/** A typed code in its stored form, or null when it cannot be one. */
export function normalizeVerifyCode(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const code = raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
	return /^[A-Z2-9]{16}$/.test(code) ? code : null;
}
