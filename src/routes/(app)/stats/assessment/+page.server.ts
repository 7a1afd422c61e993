import { error } from '@sveltejs/kit';
import { defaultPeriod, mayEditCircular, mayReadCircular, parsePeriod } from '$lib/server/assessment/rules';
import { loadCircular } from '$lib/server/assessment/load-circular';
import { addPractice } from '$lib/server/assessment/practices';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { shanghaiDate } from '$lib/server/cases/shanghai-date';
import { getDb } from '$lib/server/db';
import { readDb } from '$lib/server/http/read-your-writes';
import { readMeetingForm } from '$lib/server/meetings/read-form';
import { formFailure } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const guard = (event: RequestEvent | Parameters<PageServerLoad>[0]) => {
	const viewer = requireUser(event);
	if (!mayReadCircular(viewer)) error(403, 'forbidden');
	return viewer;
};

export const load: PageServerLoad = async (event) => {
	const viewer = guard(event);
	const raw = event.url.searchParams.get('period');
	const period = parsePeriod(raw) ?? defaultPeriod(shanghaiDate(new Date()));
	return {
		circular: await loadCircular(await readDb(event), viewer, period),
		badPeriod: raw != null && raw !== '' && parsePeriod(raw) === null,
		mayEdit: mayEditCircular(viewer),
		mayConfigure: viewer.place.kind === 'county' && viewer.roles.some((r) => r.role === 'admin')
	};
};

export const actions: Actions = {
	practice: async (event) => {
		const viewer = guard(event);
		const values = (await readMeetingForm(event.request)) as Record<string, string>;
		try {
			await addPractice(await getDb(), viewer, values, { ip: clientAddress(event) });
		} catch (err) {
			return formFailure(err, values, { errorPage: ['not_found', 'forbidden'] });
		}
		return { done: 'as_practice_added' };
	}
};
