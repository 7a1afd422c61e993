import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { recordAudit } from '$lib/server/audit/record-audit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readDb } from '$lib/server/http/read-your-writes';
import { loadMonthlyReport, parseReportMonth } from '$lib/server/stats/monthly-report';
import { renderReportPdf } from '$lib/server/stats/report-pdf';
import { mayViewStats, parseStatsQuery, todayInShanghai } from '$lib/server/stats/rules';
import { pageError } from '$lib/server/http/form-action';
import type { RequestHandler } from './$types';

/** The monthly report as a PDF for the same month and place as the page; audited like every export. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	if (!mayViewStats(viewer)) error(403, 'forbidden');
	const today = todayInShanghai();
	const month = parseReportMonth(event.url.searchParams.get('month'), today);
	if (!month) error(400, m.stats_err_month());
	const { query } = parseStatsQuery(event.url.searchParams, today);
	const db = await readDb(event);
	const report = await loadMonthlyReport(db, viewer, { month, placeId: query.placeId }).catch(pageError);
	const pdf = await renderReportPdf(report);
	// The export's audit row is a write: on the primary, whichever database the figures came from.
	await (await getDb()).transaction((tx) =>
		recordAudit(tx, {
			action: 'stats.export',
			actorId: viewer.id,
			ip: clientAddress(event),
			data: { kind: 'monthly_report_pdf', rows: report.dashboard.intake.total, query: event.url.searchParams.toString().slice(0, 500) }
		})
	);
	const name = `${report.dashboard.area.name}-${month}-分析报告.pdf`;
	return new Response(Buffer.from(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="report-${month}.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
			'cache-control': 'no-store'
		}
	});
};
