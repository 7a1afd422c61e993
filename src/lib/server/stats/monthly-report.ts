import { and, count, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { formatChainHead, readChainHead } from '../audit/chain-head';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases, supervisionOrders } from '../db/schema';
import { AppError } from '../errors';
import { resolveStatsArea } from './area';
import { loadDashboard, type Dashboard } from './dashboard';
import { findClusters, type ClusterView } from './find-clusters';
import { monthPeriod, periodBounds } from './rules';

/** How many categories, places and clusters the report names. */
const TOP = 5;

/** The monthly analysis report (报): the dashboard of one month, plus what the month left open. */
export interface MonthlyReport {
	month: string;
	dashboard: Dashboard;
	/** Matters of the area past a statutory due date today (what the month hands on). */
	overdueNow: number;
	/** Supervision orders issued in the month on the area's matters, and how many are answered. */
	supervision: { issued: number; answered: number };
	clusters: ClusterView[];
	generatedAt: Date;
	/**
	 * The audit chain's head when the report was made (`<count>:<hash>`), printed on the page and the
	 * PDF: a report filed upward is a record of the log's length that the county cannot rewrite.
	 */
	chainHead: string;
}

/** Reads 'YYYY-MM'; anything else, or a month still to come, is refused with a message. */
export function parseReportMonth(raw: string | null, today: string): string | null {
	if (!raw) return today.slice(0, 7);
	return monthPeriod(raw) && raw <= today.slice(0, 7) ? raw : null;
}

export interface LoadMonthlyReportOptions {
	/** When the report is made (otherwise now): the day overdue matters are counted on, and the time it shows. */
	now?: Date;
}

export async function loadMonthlyReport(
	db: Db,
	viewer: Viewer,
	input: { month: string; placeId: number | null },
	options: LoadMonthlyReportOptions = {}
): Promise<MonthlyReport> {
	const { now = new Date() } = options;
	const period = monthPeriod(input.month);
	if (!period) throw new AppError('invalid', { month: 'stats_err_month' });
	const area = await resolveStatsArea(db, viewer, input.placeId);
	const query = { period, placeId: input.placeId };
	const { start, end } = periodBounds(period);
	const today = shanghaiDate(now);
	const [dashboard, [overdue], [orders], found, head] = await Promise.all([
		loadDashboard(db, viewer, query),
		db
			.select({ n: count() })
			.from(cases)
			.where(and(area.condition, lt(cases.nextDueOn, today))),
		db
			.select({ issued: count(), answered: sql<number>`count(*) filter (where ${supervisionOrders.status} <> 'open')`.mapWith(Number) })
			.from(supervisionOrders)
			.where(
				and(
					gte(supervisionOrders.createdAt, start),
					lt(supervisionOrders.createdAt, end),
					inArray(supervisionOrders.caseId, db.select({ id: cases.id }).from(cases).where(area.condition))
				)
			),
		findClusters(db, viewer, query, { top: TOP }),
		readChainHead(db)
	]);
	return {
		month: input.month,
		dashboard: { ...dashboard, byCategory: dashboard.byCategory.slice(0, TOP), byPlace: dashboard.byPlace.slice(0, TOP) },
		overdueNow: overdue.n,
		supervision: { issued: orders.issued, answered: orders.answered },
		clusters: found.clusters,
		generatedAt: now,
		chainHead: formatChainHead(head)
	};
}
