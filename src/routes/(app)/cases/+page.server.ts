import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { CASE_STATUSES } from '$lib/server/cases/states';
import { CHANNELS } from '$lib/server/cases/intake/rules';
import { listCasesDeferred } from '$lib/server/cases/list/list-cases';
import { listFilterOptions } from '$lib/server/cases/list/list-filter-options';
import { DUE_STATES, filtersToParams, isCaseNumber, mayExportCases, mayListCases, parseListFilters, SORTS } from '$lib/server/cases/list/rules';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayListCases(viewer)) error(403, 'forbidden');
	const { filters, fields } = parseListFilters(event.url.searchParams);
	const db = await getDb();
	const listing = listCasesDeferred(db, viewer, filters).catch((err: unknown) => {
		// A place outside the viewer's area (a hand-edited URL): say so and list without it.
		if (!(err instanceof AppError && err.code === 'invalid')) throw err;
		Object.assign(fields, err.fields);
		filters.placeId = null;
		return listCasesDeferred(db, viewer, filters);
	});
	const [options, { total, ...result }] = await Promise.all([listFilterOptions(db, viewer), listing]);
	// A text search's count follows the rows (streamed: the page shows them at once and the count when it
	// is in); every other list's count is cheap on its indexes and comes with the page, JavaScript or not.
	const streamed = filters.text != null && !isCaseNumber(filters.text);
	return {
		filters,
		fields,
		result,
		total: streamed ? total : await total,
		options,
		choices: { statuses: CASE_STATUSES, channels: CHANNELS, dueStates: DUE_STATES, sorts: SORTS },
		/** The same filters, every page, as CSV; none for those who may not export. */
		exportHref: mayExportCases(viewer) ? `/cases/export.csv?${filtersToParams(filters, 1)}` : null,
		/** Query strings of the neighbouring pages, built on the server so the page needs no URL logic. */
		pages: {
			prev: filters.page > 1 ? `?${filtersToParams(filters, filters.page - 1)}` : null,
			next: result.hasNext ? `?${filtersToParams(filters, filters.page + 1)}` : null
		}
	};
};
