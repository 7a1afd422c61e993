import { redirect } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { holdMeeting } from '$lib/server/meetings/hold-meeting';
import { listMeetings } from '$lib/server/meetings/list-meetings';
import { proposeAgenda } from '$lib/server/meetings/propose-agenda';
import { readMeetingForm } from '$lib/server/meetings/read-form';
import { countyDepartments } from '$lib/server/meetings/county-departments';
import { requireMeetingHolder } from '$lib/server/meetings/guard';
import { formFailure } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireMeetingHolder(event);
	const db = await getDb();
	const now = new Date();
	const [list, proposals, departments] = await Promise.all([listMeetings(db, viewer, { now }), proposeAgenda(db, viewer, { now }), countyDepartments(db, viewer)]);
	return { ...list, proposals, departments, areaName: viewer.place.name };
};

export const actions: Actions = {
	hold: async (event) => {
		const viewer = requireMeetingHolder(event);
		const values = await readMeetingForm(event.request, ['departmentIds', 'caseIds']);
		let id: number;
		try {
			({ id } = await holdMeeting(await getDb(), viewer, values, { ip: clientAddress(event) }));
		} catch (err) {
			return formFailure(err, values as Record<string, string>);
		}
		redirect(303, `/supervision/meetings/${id}`);
	}
};
