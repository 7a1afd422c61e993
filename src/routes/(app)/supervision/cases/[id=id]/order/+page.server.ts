import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { formFailure, pageError } from '$lib/server/http/form-action';
import { getOrderForm } from '$lib/server/supervision/get-order-form';
import { issueOrder } from '$lib/server/supervision/issue-order';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'supervisor');
	return { form: await getOrderForm(await getDb(), user, Number(event.params.id)).catch(pageError) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event, 'supervisor');
		const form = await event.request.formData();
		const values = { ownerId: String(form.get('ownerId') ?? ''), dueOn: String(form.get('dueOn') ?? ''), note: String(form.get('note') ?? '') };
		let id: number;
		try {
			({ id } = await issueOrder(await getDb(), user, { caseId: event.params.id, ...values }, { ip: clientAddress(event) }));
		} catch (err) {
			// An order or case out of reach is the error page, even with fields: it looks like no order at all.
			return formFailure(err, values, { errorPage: ['not_found', 'forbidden'] });
		}
		redirect(303, `/supervision/orders/${id}?done=issued`);
	}
};
