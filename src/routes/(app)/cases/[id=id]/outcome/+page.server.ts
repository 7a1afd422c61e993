import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { getOutcome } from '$lib/server/outcomes/get-outcome';
import { recordOutcome } from '$lib/server/outcomes/record-outcome';
import { respondToOutcome } from '$lib/server/outcomes/respond-outcome';
import { act, formFields, pageError } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	return { view: await getOutcome(await getDb(), viewer, event.params.id).catch(pageError) };
};

export const actions: Actions = {
	record: async (event) => {
		const viewer = requireUser(event);
		const form = await event.request.formData();
		// The routes told are checkboxes: a list for the use case, one line to refill the form.
		const routesTold = form.getAll('routesTold').map(String);
		const values = { ...formFields(form), routesTold: routesTold.join(',') };
		return act('record', values, async () => recordOutcome(await getDb(), viewer, event.params.id, { ...values, routesTold }, { ip: clientAddress(event) }), 'oc_recorded_done');
	},
	respond: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('respond', values, async () => respondToOutcome(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'oc_response_done');
	}
};
