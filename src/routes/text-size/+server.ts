import { redirect, type RequestHandler } from '@sveltejs/kit';
import { LARGE_TEXT_COOKIE, LARGE_TEXT_MAX_AGE, LARGE_TEXT_VALUE } from '$lib/large-text';
import { safeRedirectTarget } from '$lib/server/http/safe-redirect';

/** The "大字" switch without JavaScript: remembers the choice in a cookie and returns to the page. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const form = await request.formData();
	const next = String(form.get('next') ?? '/');
	if (form.get('size') === LARGE_TEXT_VALUE) {
		cookies.set(LARGE_TEXT_COOKIE, LARGE_TEXT_VALUE, { path: '/', maxAge: LARGE_TEXT_MAX_AGE, httpOnly: false, sameSite: 'lax' });
	} else {
		cookies.delete(LARGE_TEXT_COOKIE, { path: '/' });
	}
	redirect(303, safeRedirectTarget(next, url.origin));
};
