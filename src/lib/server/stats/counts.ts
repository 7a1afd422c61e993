import { and, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { addDays } from '../cases/shanghai-date';
import type { Db } from '../db';
import { executeRows } from '../db/execute-rows';
import { caseStatCounts, cases } from '../db/schema';
import { levelIds } from '../places/rules';
import type { StatsArea } from './area';
import { monthPeriod, periodBounds, type Period } from './rules';

/**
 * Reads the maintained counts (`case_stat_counts`, kept by triggers: migration 0011) for an area and a
 * period. Whole months come from the counts; the days of a month the period covers only in part are
 * counted from the matters themselves with the same definitions (`case_stat_entries`), so any period
 * costs a few hundred count rows plus at most two partial months of matters; above the county those
 * days come from the counts by day instead.
 */

export interface StatCount {
	/** First day of the Shanghai month, 'YYYY-MM-01' (with `byMonth`; otherwise the period's first day). */
	month: string;
	dim: string;
	key: string;
	/**
	 * For 'total' only, the place one level down (county of a city, city of a province, township of a
	 * county, village of a township; 0 = raised at this level itself); -1 for every other figure, which is
	 * needed for the area as a whole.
	 */
	child: number;
	n: number;
}

/** The period split into whole months (first days, inclusive) and the partial stretches at its ends. */
export function splitPeriod(period: Period): { months: { from: string; to: string } | null; partial: Period[] } {
	const firstMonth = monthPeriod(period.from.slice(0, 7))!;
	const lastMonth = monthPeriod(period.to.slice(0, 7))!;
	const wholeFrom = period.from === firstMonth.from ? firstMonth.from : addDays(firstMonth.to, 1);
	const wholeTo = period.to === lastMonth.to ? lastMonth.from : `${addDays(lastMonth.from, -1).slice(0, 7)}-01`;
	if (wholeFrom > wholeTo) return { months: null, partial: [period] };
	const partial: Period[] = [];
	if (period.from !== wholeFrom) partial.push({ from: period.from, to: addDays(wholeFrom, -1) });
	if (period.to !== lastMonth.to) partial.push({ from: lastMonth.from, to: period.to });
	return { months: { from: wholeFrom, to: wholeTo }, partial };
}

function countsCondition(area: StatsArea): { where: SQL; child: SQL } {
	if (area.kind === 'province' || area.kind === 'city') {
		// Above the county each city and province keeps its own rows (level 0, migration 0033): the place
		// one level down (a city's counties, a province's cities) in `township_id`.
		return { where: and(eq(caseStatCounts.countyId, area.id), eq(caseStatCounts.level, 0))!, child: sql`${caseStatCounts.townshipId}` };
	}
	if (area.kind === 'county') {
		return { where: and(eq(caseStatCounts.countyId, area.id), eq(caseStatCounts.level, 1))!, child: sql`${caseStatCounts.townshipId}` };
	}
	if (area.kind === 'township') {
		return { where: and(eq(caseStatCounts.townshipId, area.id), eq(caseStatCounts.level, 2))!, child: sql`${caseStatCounts.villageId}` };
	}
	const townshipId = levelIds(area).township!;
	return {
		where: and(eq(caseStatCounts.townshipId, townshipId), eq(caseStatCounts.level, 2), eq(caseStatCounts.villageId, area.id))!,
		child: sql`${caseStatCounts.villageId}`
	};
}

/** Every count of the area over the period, by month, figure, value and place one level down. */
export async function statCounts(db: Db, area: StatsArea, period: Period, options: { dims?: readonly string[]; byMonth?: boolean } = {}): Promise<StatCount[]> {
	const { dims, byMonth = false } = options;
	const { months, partial } = splitPeriod(period);
	const out: StatCount[] = [];
	// The per-department figures (`d_…`, migration 0021) are the assessment's: the area figures leave them out.
	const dimFilter = (column: SQL | typeof caseStatCounts.dim) =>
		dims ? sql`${column} in (${sql.join(dims.map((d) => sql`${d}`), sql`, `)})` : sql`${column} not like 'd\\_%'`;
	if (months) {
		const { where, child } = countsCondition(area);
		const rows = await executeRows<{ month: string; dim: string; key: string; child: number; n: unknown }>(
			db,
			sql`select ${byMonth ? sql`${caseStatCounts.month}::text` : sql`${period.from}::text`} as month, ${caseStatCounts.dim} as dim, ${caseStatCounts.key} as key,
					case when ${caseStatCounts.dim} = 'total' then ${child} else -1 end as child, sum(${caseStatCounts.n}) as n
				from ${caseStatCounts}
				where ${and(where, gte(caseStatCounts.month, months.from), lte(caseStatCounts.month, months.to), dimFilter(caseStatCounts.dim))}
				group by 1, 2, 3, 4
				having sum(${caseStatCounts.n}) <> 0`
		);
		for (const r of rows) out.push({ month: r.month, dim: r.dim, key: r.key, child: Number(r.child), n: Number(r.n) });
	}
	for (const p of partial) {
		const month = byMonth ? null : period.from;
		out.push(...(aboveCounty(area) ? await dayCounts(db, area, p, dimFilter, month) : await matterCounts(db, area, p, dimFilter, month)));
	}
	return out;
}

const aboveCounty = (area: StatsArea) => area.kind === 'city' || area.kind === 'province';

/**
 * A stretch shorter than a month for a city or a province, from its counts by day (level 3, migration
 * 0034): a city's half month is some thousands of rows, where its matters would be tens of thousands.
 */
async function dayCounts(db: Db, area: StatsArea, period: Period, dimFilter: (column: SQL) => SQL, month: string | null): Promise<StatCount[]> {
	const rows = await executeRows<{ month: string; dim: string; key: string; child: number; n: unknown }>(
		db,
		sql`select ${month == null ? sql`date_trunc('month', ${caseStatCounts.month})::date::text` : sql`${month}::text`} as month, ${caseStatCounts.dim} as dim, ${caseStatCounts.key} as key,
				case when ${caseStatCounts.dim} = 'total' then ${caseStatCounts.townshipId} else -1 end as child, sum(${caseStatCounts.n}) as n
			from ${caseStatCounts}
			where ${and(eq(caseStatCounts.countyId, area.id), eq(caseStatCounts.level, 3), gte(caseStatCounts.month, period.from), lte(caseStatCounts.month, period.to), dimFilter(sql`${caseStatCounts.dim}`))}
			group by 1, 2, 3, 4
			having sum(${caseStatCounts.n}) <> 0`
	);
	return rows.map((r) => ({ month: r.month, dim: r.dim, key: r.key, child: Number(r.child), n: Number(r.n) }));
}

/** The same counts straight from the matters, for a stretch shorter than a month. */
async function matterCounts(db: Db, area: StatsArea, period: Period, dimFilter: (column: SQL) => SQL, month: string | null): Promise<StatCount[]> {
	const { start, end } = periodBounds(period);
	const child = area.childColumn ? sql`coalesce(${area.childColumn}, 0)` : sql`${cases.villageId}`;
	const within = (column: typeof cases.registeredAt | typeof cases.concludedAt | typeof cases.publicRatedAt) => and(gte(column, start), lt(column, end))!;
	const rows = await executeRows<{ month: string; dim: string; key: string; child: number; n: unknown }>(
		db,
		sql`select ${month == null ? sql`case_stat_month(e.at)::text` : sql`${month}::text`} as month, e.dim, e.key, case when e.dim = 'total' then ${child} else -1 end as child, count(*) as n
			from ${cases} cross join lateral case_stat_entries(${cases}) as e
			where ${and(area.condition, or(within(cases.registeredAt), within(cases.concludedAt), within(cases.publicRatedAt)))}
				and e.at >= ${start.toISOString()}::timestamptz and e.at < ${end.toISOString()}::timestamptz and ${dimFilter(sql`e.dim`)}
			group by 1, 2, 3, 4`
	);
	return rows.map((r) => ({ month: r.month, dim: r.dim, key: r.key, child: Number(r.child), n: Number(r.n) }));
}

/** Sums counts of one figure by value. */
export function byKey(counts: StatCount[], dim: string): Map<string, number> {
	const out = new Map<string, number>();
	for (const c of counts) if (c.dim === dim) out.set(c.key, (out.get(c.key) ?? 0) + c.n);
	return out;
}

/**
 * The mean and median of a histogram of whole numbers (value → how many), the median as
 * percentile_cont(0.5) computes it: the middle value, or the mean of the two middle ones.
 */
export function histogramStats(histogram: Map<string, number>): { count: number; mean: number | null; median: number | null } {
	const bins = [...histogram].map(([v, n]) => [Number(v), n] as const).filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
	const count = bins.reduce((s, [, n]) => s + n, 0);
	if (count === 0) return { count, mean: null, median: null };
	const mean = bins.reduce((s, [v, n]) => s + v * n, 0) / count;
	const at = (index: number) => {
		let seen = 0;
		for (const [v, n] of bins) {
			seen += n;
			if (index < seen) return v;
		}
		return bins[bins.length - 1][0];
	};
	return { count, mean, median: (at(Math.floor((count - 1) / 2)) + at(Math.ceil((count - 1) / 2))) / 2 };
}
