import { fail, redirect } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { retryMinutes } from '$lib/server/auth/rate-limit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { getDb } from '$lib/server/db';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import { loginCodeWait, requestLoginCode } from '$lib/server/parties/request-login-code';
import { parsePhone } from '$lib/server/parties/rules';
import { verifyLoginCode } from '$lib/server/parties/verify-login-code';
import type { Actions, PageServerLoad } from './$types';

/** What was typed, sent back to refill the field; never a huge value. */
const echo = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value.slice(0, 20) : '');

// Public on purpose: a party of a case has no other account. Every action guards itself with the
// rate limits inside the use cases; nothing here tells whether a number is on a case.
export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user) redirect(303, '/');
	return {};
};

export const actions: Actions = {
	send: async (event) => {
		const form = await event.request.formData();
		const raw = form.get('phone');
		try {
			const sent = await requestLoginCode(await getDb(), raw, clientAddress(event));
			return { step: 'code' as const, phone: sent.phone, resendIn: sent.resendIn, waited: !sent.accepted };
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
			const phone = parsePhone(raw);
			// A number that may not ask now stays on the code step: a code sent earlier still works.
			if (phone && err.code === 'rate_limited') {
				return fail(429, { step: 'code' as const, phone, resendIn: 0, message: err.fields._ ?? 'pt_err_send_limited', retryMinutes: retryMinutes(err), fields: {} as Record<string, string> });
			}
			return fail(HTTP_STATUS[err.code], { step: 'phone' as const, values: { phone: echo(raw) }, message: null, fields: err.fields });
		}
	},

	verify: async (event) => {
		const form = await event.request.formData();
		const db = await getDb();
		try {
			const { token, session } = await verifyLoginCode(db, { phone: form.get('phone'), code: form.get('code') }, clientAddress(event));
			setSessionCookie(event, token, session.expiresAt);
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
			const phone = parsePhone(form.get('phone'));
			if (!phone) return fail(400, { step: 'phone' as const, values: { phone: '' }, message: null, fields: { phone: 'pt_err_phone' } });
			return fail(HTTP_STATUS[err.code], { step: 'code' as const, phone, resendIn: await loginCodeWait(db, phone), message: null, retryMinutes: retryMinutes(err), fields: err.fields });
		}
		redirect(303, '/');
	}
};
