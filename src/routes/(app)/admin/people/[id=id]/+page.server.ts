import { requireRole } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { disableUser } from '$lib/server/people/disable-user';
import { enableUser } from '$lib/server/people/enable-user';
import { getPerson } from '$lib/server/people/get-person';
import { resetPassword } from '$lib/server/people/reset-password';
import { updateUser } from '$lib/server/people/update-user';
import { formFailure, formValues, pageError } from '$lib/server/http/form-action';
import { personFormOptions, personInput } from '../person-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	const db = await getDb();
	const person = await getPerson(db, actor, event.params.id).catch(pageError);
	return {
		person,
		isSelf: person.id === actor.id,
		created: event.url.searchParams.has('created'),
		...(await personFormOptions(db, actor))
	};
};

export const actions: Actions = {
	update: async (event) => {
		const actor = requireRole(event, 'admin');
		const values = formValues(await event.request.formData(), ['roles']);
		try {
			const { changed } = await updateUser(await getDb(), actor, { id: event.params.id, ...personInput(values) }, { ip: clientAddress(event) });
			return { action: 'update', done: changed.length ? 'saved' : 'admin_person_unchanged' };
		} catch (err) {
			return formFailure(err, values, { action: 'update' });
		}
	},
	disable: async (event) => {
		const actor = requireRole(event, 'admin');
		try {
			await disableUser(await getDb(), actor, event.params.id, { ip: clientAddress(event) });
		} catch (err) {
			return formFailure(err, {}, { action: 'status' });
		}
		return { action: 'status', done: 'admin_person_disabled_done' };
	},
	enable: async (event) => {
		const actor = requireRole(event, 'admin');
		try {
			await enableUser(await getDb(), actor, event.params.id, { ip: clientAddress(event) });
		} catch (err) {
			return formFailure(err, {}, { action: 'status' });
		}
		return { action: 'status', done: 'admin_person_enabled_done' };
	},
	resetPassword: async (event) => {
		const actor = requireRole(event, 'admin');
		const form = await event.request.formData();
		try {
			await resetPassword(await getDb(), actor, { id: event.params.id, password: String(form.get('password') ?? '') }, { ip: clientAddress(event) });
		} catch (err) {
			return formFailure(err, {}, { action: 'password' });
		}
		return { action: 'password', done: 'admin_password_reset_done' };
	}
};
