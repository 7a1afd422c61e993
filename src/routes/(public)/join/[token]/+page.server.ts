import { clientAddress } from '$lib/server/auth/client-address';
import { retryMinutes } from '$lib/server/auth/rate-limit';
import { CALL_GRANT_COOKIE } from '$lib/server/calls/call-link';
import { loadJoinView } from '$lib/server/calls/load-join-view';
import { sendCallCode } from '$lib/server/calls/send-call-code';
import { callsRelayed } from '$lib/server/start-calls';
import { verifyCallCode } from '$lib/server/calls/verify-call-code';
import { getDb } from '$lib/server/db';
import { secureCookies } from '$lib/server/env';
import { formFailure, formFields, pageError } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

/**
 * A party's personal call link (issue 14), the signing link's flow: send a one-time code to the phone
 * on file → enter it → join the call. The grant from a correct code lives in an httpOnly cookie the
 * call socket's upgrade carries (path `/`: the socket is at `/call/<room>`, not under this page).
 */
export const load: PageServerLoad = async ({ params, cookies, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	const view = await loadJoinView(await getDb(), params.token, cookies.get(CALL_GRANT_COOKIE)).catch(pageError);
	return { view, relayed: callsRelayed() };
};

async function run(action: string, values: Record<string, string>, work: () => Promise<unknown>) {
	try {
		await work();
		return { action, done: true };
	} catch (err) {
		return formFailure(err, values, { action, errorPage: ['not_found'], extra: { retryMinutes: retryMinutes(err) } });
	}
}

export const actions: Actions = {
	send: async (event) => run('send', {}, async () => sendCallCode(await getDb(), event.params.token, clientAddress(event))),
	verify: async (event) => {
		const values = formFields(await event.request.formData());
		return run('verify', values, async () => {
			const { grant, expiresAt } = await verifyCallCode(await getDb(), event.params.token, values.code, clientAddress(event));
			event.cookies.set(CALL_GRANT_COOKIE, grant, {
				path: '/',
				httpOnly: true,
				sameSite: 'lax',
				secure: secureCookies ?? event.url.protocol === 'https:',
				expires: expiresAt
			});
		});
	}
};
