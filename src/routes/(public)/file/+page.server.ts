import { randomBytes } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { formFailure } from '$lib/server/http/form-action';
import { listFilingOptions } from '$lib/server/public/filing-options';
import { filePublicCase, type PublicFilingForm } from '$lib/server/public/file-public-case';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['name', 'phone', 'idNumber', 'placeId', 'categoryId', 'title', 'description', 'otherParty', 'isRepeat', 'repeatOfNumber', 'website', 'submission'] as const;

// Public: no account needed, so no guard. The success answer carries the query code, so the page is
// never cached (the load also runs after a form post without JavaScript; an enhanced post's JSON
// answer is a POST response, which caches do not keep).
export const load: PageServerLoad = async ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	return { options: await listFilingOptions(await getDb()), submission: randomBytes(16).toString('hex') };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const form: PublicFilingForm = {};
		for (const key of FIELDS) {
			const value = data.get(key);
			if (typeof value === 'string') form[key] = value;
		}
		try {
			const filed = await filePublicCase(await getDb(), form, clientAddress(event));
			// Shown once, in this answer only: never in a URL, a cookie or a log.
			return { filed: { number: filed.number, queryCode: filed.queryCode } };
		} catch (err) {
			const { website: _bot, submission: _token, ...values } = form;
			return formFailure(err, values, {
				errorPage: [],
				fallback: (e, fields) => (e.code === 'rate_limited' ? 'public_file_rate_limited' : (fields._form ?? 'err_form'))
			});
		}
	}
};
