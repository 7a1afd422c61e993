import { error } from '@sveltejs/kit';
import { caseStatusLabel, channelLabel, dueStateLabel } from '$lib/case-labels';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { exportCases } from '$lib/server/cases/list/export-cases';
import { mayExportCases, parseListFilters } from '$lib/server/cases/list/rules';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { csvResponse, toCsv } from '$lib/server/stats/csv';
import { shanghaiDate } from '$lib/server/cases/shanghai-date';
import type { RequestHandler } from './$types';
import { t } from '$lib/i18n';

/** The whole filtered case list (every page) as CSV, masked as the list is. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	if (!mayExportCases(viewer)) error(403, 'forbidden');
	const { filters, fields } = parseListFilters(event.url.searchParams);
	if (Object.keys(fields).length) error(400, t(Object.values(fields)[0]));
	const zh = getLocale() === 'zh-CN';
	const rows = await exportCases(await getDb(), viewer, filters, { ip: clientAddress(event) }).catch((err: unknown) => {
		if (err instanceof AppError && err.code === 'invalid') error(400, t(Object.values(err.fields)[0] ?? 'err_invalid'));
		throw err;
	});
	const header = [
		m.casecsv_number(),
		m.casecsv_title(),
		m.caselist_category(),
		m.casecsv_channel(),
		m.caselist_status(),
		m.caselist_place(),
		m.casecsv_registered(),
		m.casecsv_due(),
		m.caselist_due(),
		m.casecsv_repeat(),
		m.casecsv_applicant()
	];
	const body = toCsv(
		header,
		rows.map((r) => [
			r.number,
			r.title,
			zh ? r.category.zh : r.category.en,
			channelLabel(r.channel as Parameters<typeof channelLabel>[0]),
			caseStatusLabel(r.status as Parameters<typeof caseStatusLabel>[0]),
			r.placeName,
			r.registeredOn,
			r.nextDueOn,
			r.dueState ? dueStateLabel(r.dueState as Parameters<typeof dueStateLabel>[0]) : '',
			r.isRepeat ? m.casecsv_yes() : '',
			r.applicant
		])
	);
	return csvResponse(body, `${m.caselist_title()}-${shanghaiDate(new Date())}.csv`);
};
