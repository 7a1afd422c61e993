import { fail, redirect } from '@sveltejs/kit';
import { login } from '$lib/server/auth/login';
import { clientAddress } from '$lib/server/auth/client-address';
import { retryMinutes } from '$lib/server/auth/rate-limit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { safeRedirectTarget } from '$lib/server/http/safe-redirect';
import type { Actions, PageServerLoad } from './$types';


export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('next'), url.origin));
	return { signedOut: url.searchParams.has('signed-out') };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const loginName = String(form.get('login') ?? '');
		const password = String(form.get('password') ?? '');
		try {
			const { token, session } = await login(await getDb(), { login: loginName, password, ip: clientAddress(event) });
			setSessionCookie(event, token, session.expiresAt);
		} catch (err) {
			if (err instanceof AppError && (err.code === 'invalid_credentials' || err.code === 'rate_limited')) {
				// The password is never sent back; the login name is.
				if (err.code === 'rate_limited') return fail(429, { login: loginName, message: 'sec_login_limited', retryMinutes: retryMinutes(err) });
				return fail(400, { login: loginName, message: 'login_failed', retryMinutes: null });
			}
			throw err;
		}
		redirect(303, safeRedirectTarget(event.url.searchParams.get('next'), event.url.origin));
	}
};
