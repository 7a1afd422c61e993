import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { RoleName, Viewer } from '../../types';

/**
 * Guards called at the top of every load, action and endpoint. A check in a layout does not protect
 * the actions beside it, so each entry point calls one of these itself.
 */
export function requireUser(event: RequestEvent): Viewer {
	const user = event.locals.user;
	if (!user) {
		if (event.request.method === 'GET' && !event.isDataRequest) {
			redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		}
		error(401, 'unauthenticated');
	}
	return user;
}

export function hasRole(user: Viewer, ...roles: RoleName[]): boolean {
	return user.roles.some((r) => roles.includes(r.role));
}

/** Requires one of the roles; 403 otherwise. */
export function requireRole(event: RequestEvent, ...roles: RoleName[]): Viewer {
	const user = requireUser(event);
	if (!hasRole(user, ...roles)) error(403, 'forbidden');
	return user;
}

/** A place is within the viewer's scope when it is the viewer's place or below it. */
export function placeInScope(user: Viewer, placePath: string): boolean {
	return placePath.startsWith(user.place.path);
}
