import { randomBytes } from 'node:crypto';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { formFailure } from '$lib/server/http/form-action';
import { receptionRequestOptions } from '$lib/server/reception/request-options';
import { requestReception, type ReceptionRequestForm } from '$lib/server/reception/request-reception';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['name', 'phone', 'matter', 'sitting', 'placeId', 'website', 'submission'] as const;

// Public: no account needed, so no guard; the budgets live in the use case.
export const load: PageServerLoad = async ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	return { options: await receptionRequestOptions(await getDb()), submission: randomBytes(16).toString('hex') };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const form: ReceptionRequestForm = {};
		for (const key of FIELDS) {
			const value = data.get(key);
			if (typeof value === 'string') form[key] = value;
		}
		try {
			await requestReception(await getDb(), form, clientAddress(event));
			return { sent: { tail: (form.phone ?? '').replace(/\D/g, '').slice(-4) } };
		} catch (err) {
			const { website: _bot, submission: _token, ...values } = form;
			return formFailure(err, values, {
				errorPage: [],
				fallback: (e, fields) => (e.code === 'rate_limited' ? 'rc_err_rate_limited' : (fields._form ?? 'err_form'))
			});
		}
	}
};
