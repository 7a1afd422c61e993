import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { answerOrder } from '$lib/server/supervision/answer-order';
import { closeOrder } from '$lib/server/supervision/close-order';
import { formFailure, pageError } from '$lib/server/http/form-action';
import { getOrder } from '$lib/server/supervision/get-order';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'supervisor', 'mediator');
	const order = await getOrder(await getDb(), user, Number(event.params.id)).catch(pageError);
	// After a redirect from an action: which step just happened, for the confirmation line.
	const done = (['issued', 'answered', 'closed'] as const).find((d) => d === event.url.searchParams.get('done')) ?? null;
	return { order, done };
};

export const actions: Actions = {
	answer: async (event) => {
		const user = requireRole(event, 'supervisor', 'mediator');
		const form = await event.request.formData();
		const values: Record<string, string> = { answer: String(form.get('answer') ?? '') };
		try {
			await answerOrder(await getDb(), user, { orderId: event.params.id, ...values }, { ip: clientAddress(event) });
		} catch (err) {
			// An order or case out of reach is the error page, even with fields: it looks like no order at all.
			return formFailure(err, values, { errorPage: ['not_found', 'forbidden'] });
		}
		redirect(303, `/supervision/orders/${event.params.id}?done=answered`);
	},
	close: async (event) => {
		const user = requireRole(event, 'supervisor');
		const form = await event.request.formData();
		const values: Record<string, string> = { note: String(form.get('note') ?? '') };
		try {
			await closeOrder(await getDb(), user, { orderId: event.params.id, ...values }, { ip: clientAddress(event) });
		} catch (err) {
			// An order or case out of reach is the error page, even with fields: it looks like no order at all.
			return formFailure(err, values, { errorPage: ['not_found', 'forbidden'] });
		}
		redirect(303, `/supervision/orders/${event.params.id}?done=closed`);
	}
};
