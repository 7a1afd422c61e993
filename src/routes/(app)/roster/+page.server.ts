import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { shanghaiDate } from '$lib/server/cases/shanghai-date';
import { getDb } from '$lib/server/db';
import { formFailure } from '$lib/server/http/form-action';
import { addRosterEntry } from '$lib/server/roster/add-roster-entry';
import { loadRoster } from '$lib/server/roster/load-roster';
import { removeRosterEntry } from '$lib/server/roster/remove-roster-entry';
import { routeToDuty } from '$lib/server/roster/route-to-duty';
import { mayViewRoster, parseMonth } from '$lib/server/roster/rules';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const guard = (event: RequestEvent | Parameters<PageServerLoad>[0]) => {
	const viewer = requireUser(event);
	if (!mayViewRoster(viewer)) error(403, 'forbidden');
	return viewer;
};

/** The fields sent, each cut short, so a huge value is never echoed back into the page. */
const sent = async (event: RequestEvent) => {
	const values: Record<string, string> = {};
	for (const [k, v] of (await event.request.formData()).entries()) values[k] = String(v).slice(0, 300);
	return values;
};

/** A refusal is always the form again: the roster page itself is in reach, only the row or case is not. */
const failWith = (action: string, err: unknown, values: Record<string, string>) =>
	formFailure(err, values, {
		action,
		target: values.caseId ?? values.id,
		errorPage: [],
		fallback: (e, fields) => Object.values(fields)[0] ?? (e.code === 'forbidden' ? 'ct_err_forbidden' : e.code === 'not_found' ? 'ct_err_not_found' : 'err_form')
	});

export const load: PageServerLoad = async (event) => {
	const viewer = guard(event);
	const now = new Date();
	const month = parseMonth(event.url.searchParams.get('month')) ?? shanghaiDate(now).slice(0, 7);
	return { roster: await loadRoster(await getDb(), viewer, month, { now }) };
};

export const actions: Actions = {
	add: async (event) => {
		const viewer = guard(event);
		const values = await sent(event);
		try {
			await addRosterEntry(await getDb(), viewer, values, { ip: clientAddress(event) });
		} catch (err) {
			return failWith('add', err, values);
		}
		return { action: 'add', done: 'ct_roster_added' };
	},
	remove: async (event) => {
		const viewer = guard(event);
		const values = await sent(event);
		try {
			await removeRosterEntry(await getDb(), viewer, values.id, { ip: clientAddress(event) });
		} catch (err) {
			return failWith('remove', err, values);
		}
		return { action: 'remove', done: 'ct_roster_removed' };
	},
	route: async (event) => {
		const viewer = guard(event);
		const values = await sent(event);
		try {
			await routeToDuty(await getDb(), viewer, { caseId: values.caseId, departmentId: values.departmentId }, { ip: clientAddress(event) });
		} catch (err) {
			return failWith('route', err, values);
		}
		return { action: 'route', target: values.caseId, done: 'ct_roster_routed' };
	}
};
