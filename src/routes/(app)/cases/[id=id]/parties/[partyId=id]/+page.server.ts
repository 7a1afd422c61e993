import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { env } from '$lib/server/env';
import { formFailure, pageError } from '$lib/server/http/form-action';
import { correctPartyPhone } from '$lib/server/parties/correct-party-phone';
import { getPartyContact } from '$lib/server/parties/get-party-contact';
import { sendPartyInvitation } from '$lib/server/parties/send-party-invitation';
import type { Actions, PageServerLoad } from './$types';

/** A refusal as form data; a case or party out of reach is the error page (404 like a missing one). */
function refused(err: unknown, action: string, values: Record<string, string>) {
	return formFailure(err, values, { action, errorPage: ['not_found', 'forbidden'], fallback: (): string | null => null });
}

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	return await getPartyContact(await getDb(), viewer, event.params.id, event.params.partyId).catch(pageError);
};

export const actions: Actions = {
	correct: async (event) => {
		const viewer = requireUser(event);
		const form = await event.request.formData();
		const raw = form.get('phone');
		const values = { phone: typeof raw === 'string' ? raw.slice(0, 20) : '' };
		try {
			const done = await correctPartyPhone(await getDb(), viewer, { caseId: event.params.id, partyId: event.params.partyId, phone: raw }, { ip: clientAddress(event) });
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
			const done = await sendPartyInvitation(await getDb(), viewer, { caseId: event.params.id, partyId: event.params.partyId }, { origin, ip: clientAddress(event) });
			return { action: 'invite', invited: done.phoneTail };
		} catch (err) {
			return refused(err, 'invite', {});
		}
	}
};
