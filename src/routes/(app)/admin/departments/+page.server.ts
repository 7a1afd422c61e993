import { requireRole } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { managesCounty } from '$lib/server/people/rules';
import { createDepartment } from '$lib/server/places/create-department';
import { listDepartments } from '$lib/server/places/list-departments';
import { renameDepartment } from '$lib/server/places/rename-department';
import { formFailure, formValues } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	return { departments: await listDepartments(await getDb(), actor), canManage: managesCounty(actor) };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireRole(event, 'admin');
		const values = formValues(await event.request.formData());
		try {
			await createDepartment(await getDb(), actor, values, { ip: clientAddress(event) });
		} catch (err) {
			return formFailure(err, values, { action: 'create', target: '' });
		}
		return { action: 'create', target: '', done: 'admin_department_added' };
	},
	rename: async (event) => {
		const actor = requireRole(event, 'admin');
		const values = formValues(await event.request.formData());
		try {
			await renameDepartment(await getDb(), actor, values, { ip: clientAddress(event) });
		} catch (err) {
			return formFailure(err, values, { action: 'rename', target: String(values.id) });
		}
		return { action: 'rename', target: String(values.id), done: 'saved' };
	}
};
