import { error } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readDb } from '$lib/server/http/read-your-writes';
import { listDepartments } from '$lib/server/places/list-departments';
import { confirmCluster } from '$lib/server/stats/confirm-cluster';
import { findClusters } from '$lib/server/stats/find-clusters';
import { listConfirmedClusters } from '$lib/server/stats/list-confirmed-clusters';
import { mayViewStats, parseStatsQuery, todayInShanghai } from '$lib/server/stats/rules';
import { formFailure, pageError } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayViewStats(viewer)) error(403, 'forbidden');
	const { query, fields } = parseStatsQuery(event.url.searchParams, todayInShanghai());
	const db = await readDb(event);
	const [found, departmentList, confirmed] = await Promise.all([
		findClusters(db, viewer, query).catch(pageError),
		listDepartments(db, viewer),
		listConfirmedClusters(db, viewer)
	]);
	return { query, fields, window: found.window, clusters: found.clusters, departments: departmentList, confirmed };
};

export const actions: Actions = {
	confirm: async (event) => {
		const viewer = requireUser(event);
		if (!mayViewStats(viewer)) error(403, 'forbidden');
		const form = await event.request.formData();
		const values = {
			key: String(form.get('key') ?? ''),
			title: String(form.get('title') ?? ''),
			note: String(form.get('note') ?? ''),
			departmentId: String(form.get('departmentId') ?? '')
		};
		try {
			await confirmCluster(
				await getDb(),
				viewer,
				{ ...values, caseIds: form.getAll('caseId').map(String), terms: String(form.get('terms') ?? '') },
				{ ip: clientAddress(event) }
			);
		} catch (err) {
			// A matter out of reach is the error page, even with fields: it looks like no matter at all.
			return formFailure(err, values, { errorPage: ['not_found', 'forbidden'] });
		}
		return { confirmed: values.key };
	}
};
