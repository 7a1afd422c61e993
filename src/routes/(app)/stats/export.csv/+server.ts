import { error } from '@sveltejs/kit';
import { caseStatusLabel, channelLabel } from '$lib/case-labels';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { recordAudit } from '$lib/server/audit/record-audit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readDb } from '$lib/server/http/read-your-writes';
import { AppError } from '$lib/server/errors';
import { csvResponse, toCsv, type Cell } from '$lib/server/stats/csv';
import { loadDashboard, type Dashboard } from '$lib/server/stats/dashboard';
import { mayViewStats, parseStatsQuery, todayInShanghai } from '$lib/server/stats/rules';
import type { RequestHandler } from './$types';

const TABLES = ['trend', 'category', 'channel', 'place', 'status', 'agents', 'outcome_kind', 'outcome_class', 'outcome_decision'] as const;
type Table = (typeof TABLES)[number];

function table(d: Dashboard, which: Table): { header: string[]; rows: Cell[][] } {
	const zh = getLocale() === 'zh-CN';
	const counted = (rows: { label: string; count: number }[], total = d.intake.total) => ({
		header: [m.stats_col_item(), m.stats_col_count(), m.stats_col_share()],
		rows: rows.map((r) => [r.label, r.count, total ? `${Math.round((r.count / total) * 1000) / 10}%` : ''])
	});
	const label = (key: string) => (m as unknown as Record<string, () => string>)[key]?.() ?? key;
	switch (which) {
		case 'trend':
			return { header: [m.stats_col_month(), m.stats_col_count(), m.stats_trend_last()], rows: d.trend.map((r) => [r.month, r.count, r.lastYear]) };
		case 'category':
			return counted(d.byCategory.map((r) => ({ label: zh ? r.zh : r.en, count: r.count })));
		case 'channel':
			return counted(d.byChannel.map((r) => ({ label: channelLabel(r.key), count: r.count })));
		case 'place':
			return counted(d.byPlace.map((r) => ({ label: r.name ?? m.stats_place_self({ name: d.area.name }), count: r.count })));
		case 'status':
			return counted(d.byStatus.map((r) => ({ label: caseStatusLabel(r.key), count: r.count })));
		case 'outcome_kind':
			return counted(d.outcomes.byKind.map((r) => ({ label: label(`oc_kind_${r.key}`), count: r.count })), d.outcomes.total);
		case 'outcome_class':
			return counted(d.outcomes.byClass.map((r) => ({ label: label(`oc_class_${r.key}`), count: r.count })), d.outcomes.total);
		case 'outcome_decision':
			return counted(d.outcomes.byDecision.map((r) => ({ label: label(`oc_decision_${r.key}`), count: r.count })), d.outcomes.total);
		case 'agents':
			return { header: [m.stats_col_agent(), m.stats_col_place(), m.stats_col_count()], rows: d.agents.map((a) => [a.name, a.place, a.count]) };
	}
}

/** One table of the dashboard as CSV, for the same period and place; the export is audited. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	if (!mayViewStats(viewer)) error(403, 'forbidden');
	const which = event.url.searchParams.get('table') as Table;
	if (!TABLES.includes(which)) error(400, m.err_invalid());
	const { query, fields } = parseStatsQuery(event.url.searchParams, todayInShanghai());
	if (Object.keys(fields).length) error(400, m.err_date_invalid());
	const db = await readDb(event);
	const dashboard = await loadDashboard(db, viewer, query).catch((err: unknown) => {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	});
	const { header, rows } = table(dashboard, which);
	// The export's audit row is a write: on the primary, whichever database the figures came from.
	await (await getDb()).transaction((tx) =>
		recordAudit(tx, {
			action: 'stats.export',
			actorId: viewer.id,
			ip: clientAddress(event),
			data: { kind: `stats_${which}`, rows: rows.length, query: event.url.searchParams.toString().slice(0, 500) }
		})
	);
	return csvResponse(toCsv(header, rows), `${m.stats_title()}-${which}-${query.period.from}-${query.period.to}.csv`);
};
