import { error } from '@sveltejs/kit';
import { desc, eq, like } from 'drizzle-orm';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { caseCategories, departments, matterClusters, places } from '$lib/server/db/schema';
import { listDepartments } from '$lib/server/places/list-departments';
import { confirmCluster } from '$lib/server/stats/confirm-cluster';
import { findClusters } from '$lib/server/stats/find-clusters';
import { mayViewStats, parseStatsQuery, todayInShanghai } from '$lib/server/stats/rules';
import { formFailure, loadFailure } from '$lib/server/supervision/form-failure';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayViewStats(viewer)) error(403, 'forbidden');
	const { query, fields } = parseStatsQuery(event.url.searchParams, todayInShanghai());
	const db = await getDb();
	const [found, departmentList, confirmed] = await Promise.all([
		findClusters(db, viewer, query).catch(loadFailure),
		listDepartments(db, viewer),
		db
			.select({
				id: matterClusters.id,
				title: matterClusters.title,
				size: matterClusters.size,
				place: places.name,
				categoryZh: caseCategories.nameZh,
				categoryEn: caseCategories.nameEn,
				department: departments.name,
				confirmedAt: matterClusters.confirmedAt
			})
			.from(matterClusters)
			.innerJoin(places, eq(places.id, matterClusters.placeId))
			.innerJoin(caseCategories, eq(caseCategories.id, matterClusters.categoryId))
			.innerJoin(departments, eq(departments.id, matterClusters.departmentId))
			.where(like(matterClusters.placePath, `${viewer.place.path}%`))
			.orderBy(desc(matterClusters.confirmedAt))
			.limit(50)
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
				clientAddress(event)
			);
		} catch (err) {
			return formFailure(err, values);
		}
		return { confirmed: values.key };
	}
};
