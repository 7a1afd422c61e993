import { error } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { callsRelayed } from '$lib/server/start-calls';
import { retryMinutes } from '$lib/server/auth/rate-limit';
import { getDb } from '$lib/server/db';
import { secureCookies } from '$lib/server/env';
import { AppError } from '$lib/server/errors';
import { formFailure, formFields, pageError } from '$lib/server/http/form-action';
import { loadWaitingView } from '$lib/server/reception/load-waiting-view';
import { RECEPTION_GRANT_COOKIE } from '$lib/server/reception/reception-link';
import { sendReceptionCode } from '$lib/server/reception/send-reception-code';
import { verifyReceptionCode } from '$lib/server/reception/verify-reception-code';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

/**
 * The petitioner's personal link: a one-time code to the phone on file (the signing link's flow), then
 * the waiting room where the call panel mounts. The grant lives in an httpOnly cookie the call socket's
 * upgrade carries too (path `/`: the socket is at `/call/reception:<id>`, not under this page). An
 * ended link (filed, cancelled, past its time) is a 410 page saying so.
 */
export const load: PageServerLoad = async ({ params, cookies, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return { view: await loadWaitingView(await getDb(), params.token, cookies.get(RECEPTION_GRANT_COOKIE)), token: params.token, relayed: callsRelayed() };
	} catch (err) {
		if (err instanceof AppError && err.code === 'conflict') error(410, m.rc_err_link_ended());
		return pageError(err);
	}
};

async function run(action: string, values: Record<string, string>, work: () => Promise<unknown>) {
	try {
		await work();
		return { action, done: true };
	} catch (err) {
		if (err instanceof AppError && err.code === 'conflict' && err.fields._ === 'rc_err_link_ended') error(410, m.rc_err_link_ended());
		return formFailure(err, values, { action, errorPage: ['not_found'], extra: { retryMinutes: retryMinutes(err) } });
	}
}

export const actions: Actions = {
	send: async (event) => run('send', {}, async () => sendReceptionCode(await getDb(), event.params.token, clientAddress(event))),
	verify: async (event) => {
		const values = formFields(await event.request.formData());
		const { code: _code, ...refill } = values;
		return run('verify', refill, async () => {
			const { grant, expiresAt } = await verifyReceptionCode(await getDb(), event.params.token, values.code, clientAddress(event));
			event.cookies.set(RECEPTION_GRANT_COOKIE, grant, {
				path: '/',
				httpOnly: true,
				sameSite: 'lax',
				secure: secureCookies ?? event.url.protocol === 'https:',
				expires: expiresAt
			});
		});
	}
};
