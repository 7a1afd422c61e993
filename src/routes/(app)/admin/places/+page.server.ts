import { requireRole } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { createPlace } from '$lib/server/places/create-place';
import { listPlaces } from '$lib/server/places/list-places';
import { renamePlace } from '$lib/server/places/rename-place';
import { formFailure, formValues } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	return { tree: await listPlaces(await getDb(), actor) };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireRole(event, 'admin');
		const values = formValues(await event.request.formData());
		try {
			await createPlace(await getDb(), actor, { parentId: values.parentId, name: values.name }, { ip: clientAddress(event) });
		} catch (err) {
			return formFailure(err, values, { action: 'create', target: String(values.parentId) });
		}
		return { action: 'create', target: String(values.parentId), done: 'admin_place_added' };
	},
	rename: async (event) => {
		const actor = requireRole(event, 'admin');
		const values = formValues(await event.request.formData());
		try {
			await renamePlace(await getDb(), actor, values, { ip: clientAddress(event) });
		} catch (err) {
			return formFailure(err, values, { action: 'rename', target: String(values.id) });
		}
		return { action: 'rename', target: String(values.id), done: 'saved' };
	}
};
