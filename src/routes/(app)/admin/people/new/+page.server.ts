import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { createUser } from '$lib/server/people/create-user';
import { formFailure, formValues } from '$lib/server/http/form-action';
import { personFormOptions, personInput } from '../person-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	const options = await personFormOptions(await getDb(), actor);
	// ?placeId=&role= come from the coverage page's "add" links; anything not offered is ignored.
	const askedPlace = Number(event.url.searchParams.get('placeId'));
	const askedRole = event.url.searchParams.get('role');
	return {
		...options,
		defaultPlaceId: options.places.some((p) => p.id === askedPlace) ? askedPlace : actor.place.id,
		defaultRoles: options.roles.filter((r) => r === askedRole)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireRole(event, 'admin');
		const values = formValues(await event.request.formData(), ['roles']);
		let id: number;
		try {
			({ id } = await createUser(await getDb(), actor, { ...personInput(values), password: values.password }, { ip: clientAddress(event) }));
		} catch (err) {
			const { password: _password, ...safe } = values;
			return formFailure(err, safe);
		}
		redirect(303, `/admin/people/${id}?created`);
	}
};
