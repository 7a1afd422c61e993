import { clientAddress } from '$lib/server/auth/client-address';
import { requireRole } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { completeAction } from '$lib/server/meetings/complete-action';
import { listMyActions } from '$lib/server/meetings/list-my-actions';
import { readMeetingForm } from '$lib/server/meetings/read-form';
import { formFailure } from '$lib/server/http/form-action';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** Only mediators and supervisors can be named responsible for a meeting's decision. */
const OWNERS = ['mediator', 'supervisor'] as const;

export const load: PageServerLoad = async (event) => {
	const viewer = requireRole(event, ...OWNERS);
	return { actions: await listMyActions(await getDb(), viewer) };
};

export const actions: Actions = {
	complete: async (event) => {
		const viewer = requireRole(event, ...OWNERS);
		const values = (await readMeetingForm(event.request)) as Record<string, string>;
		try {
			await completeAction(await getDb(), viewer, values, { ip: clientAddress(event) });
		} catch (err) {
			const failure = formFailure(err, values, { errorPage: ['not_found', 'forbidden'] });
			return fail(failure.status, { ...failure.data, target: values.actionId });
		}
		return { target: values.actionId, done: 'mt_action_done' };
	}
};
