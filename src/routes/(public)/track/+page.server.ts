import { fail, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { retryMinutes } from '$lib/server/auth/rate-limit';
import { getDb } from '$lib/server/db';
import { secureCookies } from '$lib/server/env';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import { loadPublicView } from '$lib/server/public/load-public-view';
import { ratePublicCase } from '$lib/server/public/rate-public-case';
import { trackCase } from '$lib/server/public/track-case';
import { createTrackHandle, readTrackHandle, TRACK_COOKIE, TRACK_HANDLE_TTL_MS } from '$lib/server/public/track-handle';
import type { Actions, PageServerLoad } from './$types';
import { echoValues } from '$lib/server/http/echo-values';

/**
 * Public tracking. Lookups are POSTs, so the code never sits in a URL or an access log; a success
 * sets a short-lived signed handle (no code inside) and redirects here, so a reload is a plain GET.
 */
export const load: PageServerLoad = async ({ cookies, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	const caseId = readTrackHandle(cookies.get(TRACK_COOKIE));
	if (caseId == null) return { view: null, rated: false };
	try {
		return { view: await loadPublicView(await getDb(), caseId), rated: url.searchParams.has('rated') };
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') return { view: null, rated: false };
		throw err;
	}
};

function openCase(event: RequestEvent, caseId: number) {
	event.cookies.set(TRACK_COOKIE, createTrackHandle(caseId), {
		path: '/track',
		httpOnly: true,
		sameSite: 'strict',
		secure: secureCookies ?? event.url.protocol === 'https:',
		maxAge: TRACK_HANDLE_TTL_MS / 1000
	});
}

function closeCase(cookies: Cookies, event: RequestEvent) {
	cookies.delete(TRACK_COOKIE, { path: '/track', httpOnly: true, sameSite: 'strict', secure: secureCookies ?? event.url.protocol === 'https:' });
}

/** The same answer for every lookup failure of a kind; the code is never sent back. */
function failure(err: AppError, number: string) {
	const message =
		err.code === 'rate_limited'
			? 'sec_track_limited'
			: err.code === 'not_found'
				? 'public_track_not_found'
				: (err.fields._form ?? 'err_form');
	return { status: HTTP_STATUS[err.code], body: { message, retryMinutes: retryMinutes(err), fields: err.fields, values: echoValues({ number }, err.fields) } };
}

export const actions: Actions = {
	lookup: async (event) => {
		const data = await event.request.formData();
		const number = String(data.get('number') ?? '');
		try {
			const { caseId } = await trackCase(await getDb(), { number, code: String(data.get('code') ?? '') }, clientAddress(event));
			openCase(event, caseId);
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
			closeCase(event.cookies, event);
			const f = failure(err, number);
			return fail(f.status, { action: 'lookup' as const, ...f.body });
		}
		redirect(303, '/track');
	},
	rate: async (event) => {
		const data = await event.request.formData();
		const number = String(data.get('number') ?? '');
		const rating = String(data.get('rating') ?? '');
		const comment = String(data.get('comment') ?? '');
		try {
			const { caseId } = await ratePublicCase(await getDb(), { number, code: String(data.get('code') ?? ''), rating, comment }, clientAddress(event));
			openCase(event, caseId);
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
			const f = failure(err, number);
			return fail(f.status, { action: 'rate' as const, ...f.body, values: echoValues({ number, rating, comment }, f.body.fields) });
		}
		redirect(303, '/track?rated');
	},
	forget: async (event) => {
		closeCase(event.cookies, event);
		redirect(303, '/track');
	}
};
