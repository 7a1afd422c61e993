import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession, SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { collabServer } from '$lib/server/start-collab';
import { getDb } from '$lib/server/db';
import { handleActionName } from '$lib/server/http/action-name';
import { handleBodyLimit } from '$lib/server/http/body-limit';
import { handleLargeText } from '$lib/server/http/large-text';
import { handleReadYourWrites } from '$lib/server/http/read-your-writes';
import { handleSecurityHeaders } from '$lib/server/http/security-headers';
import { prepareDatabase } from '$lib/server/prepare';
import { loadViewer } from '$lib/server/people/load-viewer';
import { acceptServer } from '$lib/server/serve';

/**
 * Runs once, when the built app is loaded by the production entry (src/server.js) or by `vite dev`:
 * migrations and the demo seed, then (in the build) taking the entry's HTTP server (serve.ts). In
 * development the Vite plugin (vite.config.ts) attaches the collaboration server to Vite's own.
 */
export const init: ServerInit = async () => {
	await prepareDatabase();
	if (!dev && !building) acceptServer();
};

const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
	});

/** Fills locals.user from the session cookie; anything invalid is treated as signed out. */
const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.collab = collabServer();
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const db = await getDb();
		const session = await validateSessionToken(db, token);
		const user = session ? await loadViewer(db, session.userId) : null;
		if (session && user) {
			event.locals.session = session;
			event.locals.user = user;
			setSessionCookie(event, token, session.expiresAt);
		} else {
			if (session) await invalidateSession(db, session.id);
			deleteSessionCookie(event);
		}
	}
	return resolve(event);
};

// Cheap refusals (an inherited action name, an oversized body) come before the session's database look-up.
export const handle = sequence(handleSecurityHeaders, handleLocale, handleLargeText, handleActionName, handleBodyLimit, handleReadYourWrites, handleSession);
