import { mayHoldMeetings } from '$lib/server/meetings/rules';
import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { listFilterOptions } from '$lib/server/cases/list/list-filter-options';
import { mayListCases } from '$lib/server/cases/list/rules';
import { readDb } from '$lib/server/http/read-your-writes';
import { AppError } from '$lib/server/errors';
import { loadDashboard } from '$lib/server/stats/dashboard';
import { compareStudios } from '$lib/server/studios/compare-studios';
import { mayViewStats, parseStatsQuery, todayInShanghai } from '$lib/server/stats/rules';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayViewStats(viewer)) error(403, 'forbidden');
	const { query, fields } = parseStatsQuery(event.url.searchParams, todayInShanghai());
	const db = await readDb(event);
	const [dashboard, studios] = await Promise.all([loadDashboard(db, viewer, query), compareStudios(db, viewer, query)]).catch((err: unknown) => {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	});
	const options = await listFilterOptions(db, viewer);
	return { query, fields, areaName: viewer.place.name, dashboard, places: options.places, mayOpenCases: mayListCases(viewer), meetings: mayHoldMeetings(viewer), studios };
};
