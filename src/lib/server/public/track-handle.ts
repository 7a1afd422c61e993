import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * After a successful lookup the tracking page keeps the case open for a short while with a signed,
 * opaque handle in an httpOnly cookie (case id + expiry + HMAC), so a reload shows the page again
 * without the code ever going into a URL, a log or the browser's form history. The handle carries no
 * code; rating still asks for it. The key is random per process: a restart (or another instance)
 * simply asks the resident to look the case up again.
 */
export const TRACK_COOKIE = 'pingli_track';
export const TRACK_HANDLE_TTL_MS = 15 * 60_000;

let processKey: Buffer | null = null;

function key(): Buffer {
	return (processKey ??= randomBytes(32));
}

function sign(body: string): string {
	return createHmac('sha256', key()).update(`track:${body}`).digest('base64url');
}

export function createTrackHandle(caseId: number, now = new Date()): string {
	const body = `${caseId}.${now.getTime() + TRACK_HANDLE_TTL_MS}`;
	return `${body}.${sign(body)}`;
}

/** The case id of a valid, unexpired handle; null for anything else. */
export function readTrackHandle(value: string | undefined, now = new Date()): number | null {
	const m = value ? /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
	if (!m) return null;
	const expected = Buffer.from(sign(`${m[1]}.${m[2]}`));
	const given = Buffer.from(m[3]);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	return Number(m[2]) > now.getTime() ? Number(m[1]) : null;
}
