import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { getOpinions } from '$lib/server/opinions/get-opinions';
import { revealOpinions } from '$lib/server/opinions/reveal-opinions';
import { submitOpinion } from '$lib/server/opinions/submit-opinion';
import { act, formFields, pageError } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	return { view: await getOpinions(await getDb(), viewer, event.params.id).catch(pageError) };
};

export const actions: Actions = {
	submit: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('submit', values, async () => submitOpinion(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'op_submitted_done');
	},
	reveal: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('reveal', values, async () => revealOpinions(await getDb(), viewer, event.params.id, { ip: clientAddress(event) }), 'op_revealed_done');
	}
};
