import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { listFilterOptions } from '$lib/server/cases/list/list-filter-options';
import { readDb } from '$lib/server/http/read-your-writes';
import { loadMonthlyReport, parseReportMonth } from '$lib/server/stats/monthly-report';
import { mayViewStats, parseStatsQuery, todayInShanghai } from '$lib/server/stats/rules';
import { pageError } from '$lib/server/http/form-action';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayViewStats(viewer)) error(403, 'forbidden');
	const today = todayInShanghai();
	const requested = event.url.searchParams.get('month');
	const month = parseReportMonth(requested, today);
	const { query } = parseStatsQuery(event.url.searchParams, today);
	const db = await readDb(event);
	const report = await loadMonthlyReport(db, viewer, { month: month ?? today.slice(0, 7), placeId: query.placeId }).catch(pageError);
	const options = await listFilterOptions(db, viewer);
	return { report, areaName: viewer.place.name, places: options.places, placeId: query.placeId, monthError: month ? null : 'stats_err_month', maxMonth: today.slice(0, 7) };
};
