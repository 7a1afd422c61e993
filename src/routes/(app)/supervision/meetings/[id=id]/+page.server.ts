import { fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { addAction } from '$lib/server/meetings/add-action';
import { getMeeting } from '$lib/server/meetings/get-meeting';
import { readMeetingForm } from '$lib/server/meetings/read-form';
import { requireMeetingHolder } from '$lib/server/meetings/guard';
import { formFailure, pageError } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireMeetingHolder(event);
	return getMeeting(await getDb(), viewer, event.params.id).catch(pageError);
};

export const actions: Actions = {
	addAction: async (event) => {
		const viewer = requireMeetingHolder(event);
		const values = (await readMeetingForm(event.request)) as Record<string, string>;
		try {
			await addAction(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) });
		} catch (err) {
			const failure = formFailure(err, values, { errorPage: ['not_found', 'forbidden'] });
			return fail(failure.status, { ...failure.data, target: values.caseId });
		}
		return { target: values.caseId, done: 'mt_action_added' };
	}
};
