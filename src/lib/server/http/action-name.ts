import type { Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

/** Names every plain object answers to (`constructor`, `toString`, `__proto__`, …). */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The action a form post asks for, the way SvelteKit reads it: the first `?/name` query key. */
export function actionName(url: URL): string | null {
	for (const key of url.searchParams.keys()) if (key.startsWith('/')) return key.slice(1);
	return null;
}

/**
 * SvelteKit looks actions up as `actions[name]`, so `?/constructor` found Object's constructor, called
 * it and failed with a 500. No route of ours defines an action by one of those names: a 404 at once.
 */
export const handleActionName: Handle = async ({ event, resolve }) => {
	if (event.request.method === 'POST') {
		const name = actionName(event.url);
		if (name !== null && INHERITED.has(name)) {
			return new Response(m.hx_not_found(), { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
		}
	}
	return resolve(event);
};
