import { error } from '@sveltejs/kit';
import { MEASURES, mayConfigureWeights } from '$lib/server/assessment/rules';
import { listWeightSets, saveWeights, weightsInForce } from '$lib/server/assessment/weights';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readMeetingForm } from '$lib/server/meetings/read-form';
import { countyIdOf } from '$lib/server/roster/rules';
import { formFailure } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const guard = (event: RequestEvent | Parameters<PageServerLoad>[0]) => {
	const viewer = requireUser(event);
	if (!mayConfigureWeights(viewer)) error(403, 'forbidden');
	return viewer;
};

export const load: PageServerLoad = async (event) => {
	const viewer = guard(event);
	const db = await getDb();
	const countyId = countyIdOf(viewer);
	const [current, versions] = await Promise.all([weightsInForce(db, countyId), listWeightSets(db, countyId)]);
	return { current, versions, measures: MEASURES };
};

export const actions: Actions = {
	save: async (event) => {
		const viewer = guard(event);
		const values = (await readMeetingForm(event.request)) as Record<string, string>;
		try {
			const { version } = await saveWeights(await getDb(), viewer, values, { ip: clientAddress(event) });
			return { done: 'as_weights_saved', version };
		} catch (err) {
			return formFailure(err, values, { errorPage: ['not_found', 'forbidden'] });
		}
	}
};
