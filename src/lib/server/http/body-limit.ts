import { error, type Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

const MB = 1024 * 1024;

/** Most forms carry a few kilobytes of text; a megabyte leaves room for a drawn signature (≤ 200 KB as PNG). */
export const DEFAULT_BODY_LIMIT = 1 * MB;

/**
 * Routes whose forms carry files keep their own, larger limits. Case attachments (5 × 10 MB) are left
 * to adapter-node's BODY_SIZE_LIMIT (src/server.js), whose 413 the upload forms turn into a message;
 * a seal (500 KB) and a copy to verify (5 MB) get room for the file plus the multipart wrapping, so an
 * oversized file still reaches the use case and is refused with the form's own message.
 */
export const ROUTE_BODY_LIMITS: Record<string, number | null> = {
	'/(app)/cases/new': null,
	'/(app)/cases/[id=id]': null,
	'/(app)/admin/seals': 2 * MB,
	'/(public)/verify': 6 * MB
};

export function bodyLimitFor(routeId: string | null): number | null {
	if (routeId !== null && routeId in ROUTE_BODY_LIMITS) return ROUTE_BODY_LIMITS[routeId];
	return DEFAULT_BODY_LIMIT;
}

const shown = (bytes: number) => (bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / 1024)} KB`);

/** A short answer: never the body back, whatever was sent. */
function tooLarge(request: Request, limit: number): Response {
	const message = m.hx_body_too_large({ limit: shown(limit) });
	// No 'connection: close': Node then discards the rest of the body unread, so a client still writing
	// gets this answer instead of a broken pipe.
	const headers = { 'cache-control': 'no-store' };
	// An enhanced form post expects SvelteKit's action result; it shows the error page with our message.
	if (request.headers.get('x-sveltekit-action') === 'true' || request.headers.get('accept')?.includes('application/json')) {
		return Response.json({ type: 'error', status: 413, error: { message } }, { status: 413, headers });
	}
	return new Response(message, { status: 413, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Counts a body without a (trustworthy) length as it streams and fails it past `limit` with a 413,
 * so `request.formData()` rejects instead of buffering the rest. An action that lets the rejection
 * through shows the 413 error page; the upload forms' readFormData() turns it into a message.
 */
function countedBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
	let seen = 0;
	return body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength;
				if (seen > limit) {
					try {
						error(413, m.hx_body_too_large({ limit: shown(limit) }));
					} catch (err) {
						controller.error(err);
					}
					return;
				}
				controller.enqueue(chunk);
			}
		})
	);
}

/**
 * Caps request bodies per route before any form is read. adapter-node's single BODY_SIZE_LIMIT has
 * to admit the largest upload, so without this an anonymous 50 MB post to a text form was read in
 * full (and its field echoed back in the refill).
 */
export const handleBodyLimit: Handle = async ({ event, resolve }) => {
	const { request } = event;
	if (request.body === null || request.method === 'GET' || request.method === 'HEAD') return resolve(event);
	const limit = bodyLimitFor(event.route.id);
	if (limit === null) return resolve(event);
	const declared = request.headers.get('content-length');
	if (declared !== null && Number(declared) > limit) return tooLarge(request, limit);
	if (declared === null) {
		event.request = new Request(request, { body: countedBody(request.body, limit), duplex: 'half' } as RequestInit);
	}
	return resolve(event);
};

