import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { getFollowUp } from '$lib/server/outcomes/get-follow-up';
import { recordPerformance } from '$lib/server/outcomes/record-performance';
import { recordVisit } from '$lib/server/outcomes/record-visit';
import { act, formFields, pageError } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	return { view: await getFollowUp(await getDb(), viewer, event.params.id).catch(pageError) };
};

export const actions: Actions = {
	performance: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('performance', values, async () => recordPerformance(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'fu_performance_done', values.termId);
	},
	visit: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('visit', values, async () => recordVisit(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'fu_visit_done');
	}
};
