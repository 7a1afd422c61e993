import type { RateLimitRule } from '../auth/rate-limit';
import { hashToken } from '../agreements/tokens';
import { normalizePhone } from '../../utils/phone';

/** How long a sign-in code lasts. */
export const LOGIN_CODE_TTL_MS = 10 * 60_000;
/** The wait before another code may be asked for the same phone (the page shows the seconds left). */
export const LOGIN_CODE_RESEND_MS = 60_000;

/**
 * Codes sent per phone and per address, counted before any work (like the signing codes): enough to
 * retry a lost text, too few to flood someone's phone or run up the SMS bill.
 */
export const LOGIN_CODE_SEND_PER_PHONE: RateLimitRule = { name: 'party-code-send', max: 5, windowMs: 60 * 60_000 };
export const LOGIN_CODE_SEND_PER_ADDRESS: RateLimitRule = { name: 'party-code-send-address', max: 20, windowMs: 15 * 60_000 };
/**
 * Attempts per phone and per address. Five per quarter hour, and a code lives ten minutes, so a code
 * gets at most five guesses in a million.
 */
export const LOGIN_CODE_TRY_PER_PHONE: RateLimitRule = { name: 'party-code-try', max: 5, windowMs: 15 * 60_000 };
export const LOGIN_CODE_TRY_PER_ADDRESS: RateLimitRule = { name: 'party-code-try-address', max: 30, windowMs: 15 * 60_000 };

/** The phone as stored on cases and accounts (digits only, +86 stripped), or null. */
export function parsePhone(value: unknown): string | null {
	return typeof value === 'string' && value.length <= 40 ? normalizePhone(value) : null;
}

/** A code as typed: full-width digits and spaces forgiven; null unless exactly six digits. */
export function parseCode(value: unknown): string | null {
	if (typeof value !== 'string' || value.length > 40) return null;
	const code = value.normalize('NFKC').replace(/\s/g, '');
	return /^\d{6}$/.test(code) ? code : null;
}

/** Salted with the phone, so equal codes of two phones differ in storage; only the hash is kept. */
export function hashLoginCode(phone: string, code: string): string {
	return hashToken(`party-login:${phone}:${code}`);
}

/** Seconds left before another code may be asked, from when the newest one was made. */
export function resendWaitSeconds(newestAt: Date | null, now: Date): number {
	if (!newestAt) return 0;
	return Math.max(0, Math.ceil((newestAt.getTime() + LOGIN_CODE_RESEND_MS - now.getTime()) / 1000));
}

/** An account name fits `users.name` (40 characters, counted as code points like PostgreSQL does). */
export function accountName(partyName: string): string {
	return Array.from(partyName).slice(0, 40).join('');
}
