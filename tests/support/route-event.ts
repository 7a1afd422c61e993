import { isActionFailure, isHttpError, isRedirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import type { Viewer } from '../../src/lib/types';

/** A cookie jar a test can read after the handler ran: name → value. */
export type CookieJar = Map<string, string>;

export interface RouteEventOptions {
	/** Who asks (`locals.user`); nobody by default. */
	user?: Viewer | null;
	/** Default: POST when a form is given, GET otherwise. */
	method?: 'GET' | 'POST';
	/**
	 * The submitted form. Without one, reading the body fails: a handler that must refuse before it
	 * looks at the form (a guard first) is caught reading it.
	 */
	form?: Record<string, string | Blob | (string | Blob)[]> | null;
	params?: Record<string, string>;
	/** What `getClientAddress()` answers. */
	ip?: string;
	/** Request headers. */
	headers?: Record<string, string>;
	/** Cookies of the request; what the handler sets or deletes lands here too. */
	cookies?: CookieJar;
	/** Filled with what the handler passes to `setHeaders`. */
	responseHeaders?: Record<string, string>;
	/** `route.id`; null (no matched route) by default. */
	routeId?: string | null;
	isDataRequest?: boolean;
}

/**
 * A SvelteKit `RequestEvent` for calling a route's `load`, action or `+server.ts` handler directly, as
 * SvelteKit would build it for `path` (relative to http://localhost). Typed `never` so every route's own
 * event type (with its params and route id) accepts it.
 */
export function routeEvent(path: string, options: RouteEventOptions = {}): never {
	const url = new URL(path, 'http://localhost');
	const { form = null, cookies = new Map(), responseHeaders = {} } = options;
	const method = options.method ?? (form ? 'POST' : 'GET');
	let request: Request;
	if (form) {
		const body = new FormData();
		for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
		request = new Request(url, { method, headers: options.headers, body: method === 'GET' ? undefined : body });
		// A GET cannot carry a body, yet a few tests post a form to a load: hand it over all the same.
		if (method === 'GET') request.formData = async () => body;
	} else {
		request = new Request(url, { method, headers: options.headers });
		request.formData = () => Promise.reject(new Error('the form was read before the guard'));
	}
	const jar: Cookies = {
		get: (name) => cookies.get(name),
		getAll: () => [...cookies].map(([name, value]) => ({ name, value })),
		set: (name, value) => void cookies.set(name, value),
		delete: (name) => void cookies.delete(name),
		serialize: (name, value) => `${name}=${value}`
	};
	const event: Partial<RequestEvent> = {
		locals: { user: options.user ?? null, session: null } as App.Locals,
		params: options.params ?? {},
		url,
		route: { id: (options.routeId ?? null) as RequestEvent['route']['id'] },
		isDataRequest: options.isDataRequest ?? false,
		isSubRequest: false,
		request,
		getClientAddress: () => options.ip ?? '127.0.0.1',
		setHeaders: (headers) => void Object.assign(responseHeaders, headers),
		cookies: jar
	};
	return event as never;
}

/**
 * What a load, action or handler gave back: its data, a failure's status with its data, an HTTP
 * error's status, or `redirect <location>`.
 */
export async function routeOutcome(run: () => unknown): Promise<unknown> {
	try {
		const result = await run();
		return isActionFailure(result) ? { status: result.status, ...(result.data as unknown as Record<string, unknown>) } : result;
	} catch (err) {
		if (isHttpError(err)) return err.status;
		if (isRedirect(err)) return `redirect ${err.location}`;
		throw err;
	}
}
