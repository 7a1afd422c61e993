import type { Cookies } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { loadSigningView } from '$lib/server/agreements/load-signing-view';
import { signingChanges } from '$lib/server/agreements/agreement-changes';
import { sendSigningCode } from '$lib/server/agreements/send-signing-code';
import { signByInvitation } from '$lib/server/agreements/sign-by-invitation';
import { SIGNING_GRANT_COOKIE as GRANT_COOKIE } from '$lib/server/agreements/signing-invitation';
import { verifySigningCode } from '$lib/server/agreements/verify-signing-code';
import { getDb } from '$lib/server/db';
import { secureCookies } from '$lib/server/env';
import { retryMinutes } from '$lib/server/auth/rate-limit';
import { formFailure, formFields, pageError } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

/**
 * A party's personal signing link: send a one-time code → enter it → read the frozen text and its
 * hash → sign (drawn or thumbprint, typed name) or refuse with a reason. One step per screen, for
 * elderly signers on small phones. The grant from a correct code lives in an httpOnly cookie scoped
 * to this link's path, so it is sent nowhere else.
 */
const cookiePath = (token: string) => `/sign/${token}`;
const grantOf = (cookies: Cookies) => cookies.get(GRANT_COOKIE);

export const load: PageServerLoad = async ({ params, cookies, url, setHeaders }) => {
	// The page shows the agreement's text once a code is entered: no cache (a shared phone's, a proxy's) keeps it.
	setHeaders({ 'cache-control': 'no-store' });
	const view = await loadSigningView(await getDb(), params.token, grantOf(cookies)).catch(pageError);
	const step = url.searchParams.get('step');
	// What changed since the text this party was last asked to sign (after an unfreeze), under the same grant as the text.
	const changes = view.verified ? await signingChanges(await getDb(), params.token, grantOf(cookies)).catch(pageError) : null;
	return { view, token: params.token, step: step === 'sign' || step === 'refuse' ? step : 'read', changes };
};

async function run(action: string, values: Record<string, string>, work: () => Promise<unknown>) {
	try {
		await work();
		return { action, done: true };
	} catch (err) {
		// A link that leads nowhere is the error page; a refused code or signature is the form again.
		return formFailure(err, values, { action, errorPage: ['not_found'], extra: { retryMinutes: retryMinutes(err) } });
	}
}

export const actions: Actions = {
	send: async (event) =>
		run('send', {}, async () => sendSigningCode(await getDb(), event.params.token, clientAddress(event))),
	verify: async (event) => {
		const values = formFields(await event.request.formData());
		return run('verify', values, async () => {
			const { grant, expiresAt } = await verifySigningCode(await getDb(), event.params.token, values.code, clientAddress(event));
			event.cookies.set(GRANT_COOKIE, grant, {
				path: cookiePath(event.params.token),
				httpOnly: true,
				sameSite: 'lax',
				secure: secureCookies ?? event.url.protocol === 'https:',
				expires: expiresAt
			});
		});
	},
	sign: async (event) => {
		const values = formFields(await event.request.formData());
		const { signature: _signature, ...refill } = values;
		return run('sign', refill, async () => {
			await signByInvitation(await getDb(), event.params.token, grantOf(event.cookies), values, clientAddress(event), { userAgent: event.request.headers.get('user-agent') });
			event.cookies.delete(GRANT_COOKIE, { path: cookiePath(event.params.token) });
		});
	}
};
