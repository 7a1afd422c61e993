import { error, fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { env } from '$lib/server/env';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import { correctPartyPhone } from '$lib/server/parties/correct-party-phone';
import { getPartyContact } from '$lib/server/parties/get-party-contact';
import { sendPartyInvitation } from '$lib/server/parties/send-party-invitation';
import type { Actions, PageServerLoad } from './$types';

/** A refusal as form data; a case or party out of reach is a 404 like a missing one. */
function refused(err: unknown, action: string, values: Record<string, string>) {
	if (!(err instanceof AppError)) throw err;
	if (err.code === 'not_found') error(404, 'not_found');
	if (err.code === 'forbidden') error(403, 'forbidden');
	return fail(HTTP_STATUS[err.code], { action, message: err.fields._ ?? null, fields: err.fields, values });
}

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	try {
		return await getPartyContact(await getDb(), viewer, event.params.id, event.params.partyId);
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		if (err instanceof AppError && err.code === 'forbidden') error(403, 'forbidden');
		throw err;
	}
};

export const actions: Actions = {
	correct: async (event) => {
		const viewer = requireUser(event);
		const form = await event.request.formData();
		const raw = form.get('phone');
		const values = { phone: typeof raw === 'string' ? raw.slice(0, 20) : '' };
		try {
			const done = await correctPartyPhone(await getDb(), viewer, event.params.id, event.params.partyId, raw, clientAddress(event));
			return { action: 'correct', corrected: done.phoneTail };
		} catch (err) {
			return refused(err, 'correct', values);
		}
	},

	invite: async (event) => {
		const viewer = requireUser(event);
		try {
			// The configured origin when there is one: the text must not carry whatever Host a request named.
			const origin = env.ORIGIN ?? event.url.origin;
			const done = await sendPartyInvitation(await getDb(), viewer, event.params.id, event.params.partyId, origin, clientAddress(event));
			return { action: 'invite', invited: done.phoneTail };
		} catch (err) {
			return refused(err, 'invite', {});
		}
	}
};
