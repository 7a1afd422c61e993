import { requireUser } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { callsRelayed } from '$lib/server/start-calls';
import { getDb } from '$lib/server/db';
import { formFailure, formFields, pageError } from '$lib/server/http/form-action';
import { fileFromReception } from '$lib/server/reception/file-from-reception';
import { loadReceptionCall } from '$lib/server/reception/load-reception-call';
import { scheduleReception } from '$lib/server/reception/schedule-reception';
import type { Actions, PageServerLoad } from './$types';

/**
 * The staff call page: agree a time (texts the petitioner's link), the call panel's spot, and filing
 * the matter from the call. Every entry point guards itself; a request outside the viewer's scope is 404.
 */
export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	event.setHeaders({ 'cache-control': 'no-store' });
	return { ...(await loadReceptionCall(await getDb(), viewer, event.params.id).catch(pageError)), relayed: callsRelayed() };
};

export const actions: Actions = {
	schedule: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		try {
			const { link, texted } = await scheduleReception(await getDb(), viewer, { id: event.params.id, at: values.at }, event.url.origin, { ip: clientAddress(event) });
			return { action: 'schedule', done: texted ? 'rc_scheduled_texted' : 'rc_scheduled_not_texted', doneParams: { link } };
		} catch (err) {
			return formFailure(err, values, { action: 'schedule' });
		}
	},
	file: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		try {
			const filed = await fileFromReception(await getDb(), viewer, { id: event.params.id, ...values }, event.url.origin, { ip: clientAddress(event) });
			return { action: 'file', done: 'rc_filed', doneParams: { number: filed.number } };
		} catch (err) {
			return formFailure(err, values, { action: 'file' });
		}
	}
};
