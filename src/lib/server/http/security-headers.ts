import type { Handle } from '@sveltejs/kit';

/** One year; only ever sent over https, where the browser may trust it. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * CSP3 lets `'self'` match ws:/wss: of our own host, but older engines (Safari before 15.4, some
 * in-app WebViews) do not, and the live record and agreement connect to /collab/ over a WebSocket.
 * The host is only known per request, so it is added here to the policy SvelteKit wrote (kit.csp).
 */
export function withSocketSources(policy: string, url: URL): string {
	const socket = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
	return policy.replace(/(^|;\s*)connect-src ([^;]*)/, (_all, lead: string, sources: string) => `${lead}connect-src ${sources} ${socket}`);
}

export const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Referrer-Policy', 'same-origin');
	if (event.url.protocol === 'https:') headers.set('Strict-Transport-Security', HSTS);
	const csp = headers.get('content-security-policy');
	if (csp) headers.set('content-security-policy', withSocketSources(csp, event.url));
	if (event.locals.user) headers.set('Cache-Control', 'private, no-store');
	return response;
};
