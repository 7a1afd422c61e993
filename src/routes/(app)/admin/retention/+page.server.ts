import { requireRole } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { act, formFields, requireConfirmed } from '$lib/server/http/form-action';
import { retentionOverview, runRetentionInArea } from '$lib/server/privacy/retention-admin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireRole(event, 'admin');
	return { area: viewer.placeTrail.join(' › '), overview: await retentionOverview(await getDb(), viewer) };
};

export const actions: Actions = {
	run: async (event) => {
		const viewer = requireRole(event, 'admin');
		const values = formFields(await event.request.formData());
		const work = async () => {
			requireConfirmed(values);
			return runRetentionInArea(await getDb(), viewer, clientAddress(event));
		};
		return act('run', values, work, 'rt_done', undefined, (done) => done);
	}
};
