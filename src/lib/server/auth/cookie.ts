import type { RequestEvent } from '@sveltejs/kit';
import { secureCookies } from '../env';
import { SESSION_COOKIE } from './session';

/**
 * httpOnly + SameSite=Lax; Secure whenever the request came over HTTPS (always, in a production
 * deployment with an https ORIGIN) or when COOKIE_SECURE=true. Expires with the session.
 */
export function secure(event: RequestEvent): boolean {
	return secureCookies ?? event.url.protocol === 'https:';
}

export function setSessionCookie(event: RequestEvent, token: string, expiresAt: Date): void {
	event.cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: secure(event),
		expires: expiresAt
	});
}

export function deleteSessionCookie(event: RequestEvent): void {
	event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secure(event) });
}
