import { createHmac } from 'node:crypto';

/** What a browser puts in `RTCPeerConnection`'s `iceServers`. */
export interface IceServer {
	urls: string[];
	username?: string;
	credential?: string;
}

export interface TurnSettings {
	urls: string[];
	secret: string;
	ttlSeconds: number;
}

/** TURN settings from the environment, or null when calls are not relayed (both must be set). */
export function turnSettings(env: { TURN_URLS?: string; TURN_SECRET?: string; TURN_TTL_SECONDS: number }): TurnSettings | null {
	const urls = (env.TURN_URLS ?? '')
		.split(',')
		.map((u) => u.trim())
		.filter((u) => /^turns?:/.test(u));
	if (urls.length === 0 || !env.TURN_SECRET) return null;
	return { urls, secret: env.TURN_SECRET, ttlSeconds: env.TURN_TTL_SECONDS };
}

/**
 * Time-limited TURN credentials in the TURN REST API scheme that coturn checks in `use-auth-secret`
 * mode (draft-uberti-behave-turn-rest-00 §2.2): the username is `<expiry unix seconds>:<who>`, the
 * password base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC and refuses the name once
 * its time has passed, so no static TURN password ships and a leaked credential dies on its own.
 * `who` is only a label in coturn's log (a peer id, never a name or phone number).
 */
export function turnCredentials(settings: TurnSettings, who: string, now = new Date()): Required<IceServer> & { expiresAt: Date } {
	const expiry = Math.floor(now.getTime() / 1000) + settings.ttlSeconds;
	const username = `${expiry}:${who.replace(/[^a-z0-9_-]/gi, '')}`;
	const credential = createHmac('sha1', settings.secret).update(username).digest('base64');
	return { urls: settings.urls, username, credential, expiresAt: new Date(expiry * 1000) };
}

/** The check coturn makes, for tests and for the app to refuse a stale name itself. */
export function turnCredentialValid(secret: string, username: string, credential: string, now = new Date()): boolean {
	const expiry = Number(username.split(':')[0]);
	if (!Number.isSafeInteger(expiry) || expiry * 1000 <= now.getTime()) return false;
	return createHmac('sha1', secret).update(username).digest('base64') === credential;
}
