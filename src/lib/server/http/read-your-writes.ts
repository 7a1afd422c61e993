import type { Handle, RequestEvent } from '@sveltejs/kit';
import { secure } from '../auth/cookie';
import { getReadDb, type Db } from '../db';

/**
 * Reads after one's own write stay on the primary (issue 21 §3). Any request that may write (not
 * GET/HEAD) leaves a short-lived cookie; while it lasts, `readDb` sends that browser's lag-tolerant
 * reads to the primary too, so a person who has just filed a matter or confirmed a cluster sees it
 * on the next page whatever the standby's lag. A cookie rather than process memory, so it holds on
 * whichever instance the next request reaches. Without DATABASE_READ_URL it changes nothing.
 */
export const WROTE_COOKIE = 'pingli_wrote';
/** Longer than a standby in good health lags (well under a second on a LAN); see README. */
export const READ_YOUR_WRITES_SECONDS = 30;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const handleReadYourWrites: Handle = ({ event, resolve }) => {
	if (!READS.has(event.request.method)) {
		event.cookies.set(WROTE_COOKIE, '1', { path: '/', httpOnly: true, sameSite: 'lax', secure: secure(event), maxAge: READ_YOUR_WRITES_SECONDS });
	}
	return resolve(event);
};

/** The database for this request's lag-tolerant reads: the standby, unless this browser has just written. */
export function readDb(event: Pick<RequestEvent, 'cookies' | 'request'>): Promise<Db> {
	return getReadDb(!READS.has(event.request.method) || event.cookies.get(WROTE_COOKIE) !== undefined);
}
