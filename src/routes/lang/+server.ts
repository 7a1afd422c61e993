import { redirect, type RequestHandler } from '@sveltejs/kit';
import { safeRedirectTarget } from '$lib/server/http/safe-redirect';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';

/** Remembers the chosen language in Paraglide's cookie and returns to the page it came from. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	const next = String(form.get('next') ?? '/');
	if (isLocale(locale)) {
		cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax' });
	}
	redirect(303, safeRedirectTarget(next, url.origin));
};
