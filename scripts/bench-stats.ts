/**
 * `npm run bench:stats [-- --runs 30 --warmup 3]`: times the statistics on the configured database (load
 * it first with `npm run seed:bulk -- --cases 200000`). For the county supervisor (`county.supervisor`)
 * and a township supervisor (`tubu.supervisor`), and the city supervisor (`city.supervisor`) when the
 * database has a city (`seed:bulk --counties N`), it times each dashboard query on its own, the whole
 * dashboard for a month, a quarter and a year, the recurring-matter search, the monthly report and the
 * assessment circular (a month, a quarter and a year), and the
 * mediation studios (list with comparison, one studio page).
 * `--only key,key` times only those queries; `--explain` first prints every statement each of them sends
 * with its plan (EXPLAIN (ANALYZE, BUFFERS)).
 * Prints p50/p95 per query and, as its last line, one JSON object {"<query>":{"p50_ms":…,"p95_ms":…},…}.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { count, eq, inArray } from 'drizzle-orm';
import { shanghaiDate } from '../src/lib/server/cases/shanghai-date';
import { closeDatabase, getDatabase } from '../src/lib/server/db';
import { prepareDatabase } from '../src/lib/server/prepare';
import { cases, users } from '../src/lib/server/db/schema';
import { explainRun } from './bench/explain';
import { demoViewer, peakRssMib, round, timeQuery } from './bench/timing';
import { resolveStatsArea } from '../src/lib/server/stats/area';
import { statCounts } from '../src/lib/server/stats/counts';
import { effectiveAgreements, loadDashboard, outcomeFigures } from '../src/lib/server/stats/dashboard';
import { findClusters } from '../src/lib/server/stats/find-clusters';
import { loadMonthlyReport } from '../src/lib/server/stats/monthly-report';
import { monthPeriod, type Period } from '../src/lib/server/stats/rules';
import { addDays } from '../src/lib/server/cases/shanghai-date';
import { loadCircular } from '../src/lib/server/assessment/load-circular';
import { parsePeriod } from '../src/lib/server/assessment/rules';
import { listStudios, loadStudio } from '../src/lib/server/studios/load-studios';

const { values: args } = parseArgs({
	options: { runs: { type: 'string', default: '30' }, warmup: { type: 'string', default: '3' }, only: { type: 'string' }, explain: { type: 'boolean', default: false } }
});
const RUNS = Number(args.runs);
const WARMUP = Number(args.warmup);

await prepareDatabase();
const database = await getDatabase();
const db = database.db;
const [{ n: total }] = await db.select({ n: count() }).from(cases);
if (total < 1000) console.warn(`only ${total} cases: load the bulk data first (npm run seed:bulk -- --cases 200000)`);

const viewer = (username: string) => demoViewer(db, username);
const county = await viewer('county.supervisor');
const township = await viewer('tubu.supervisor');
// The city's figures only where `seed:bulk --counties N` made one.
const [cityAccount] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'city.supervisor'));
const city = cityAccount ? await viewer('city.supervisor') : null;

// The last whole month before today, and the quarter and year that end with it.
const today = shanghaiDate(new Date());
const monthBefore = (month: string) => addDays(`${month}-01`, -1).slice(0, 7);
const lastMonthKey = monthBefore(today.slice(0, 7));
const lastMonth = monthPeriod(lastMonthKey)!;
const quarter: Period = { from: `${monthBefore(monthBefore(lastMonthKey))}-01`, to: lastMonth.to };
const year: Period = { from: addDays(`${Number(lastMonth.to.slice(0, 4)) - 1}${lastMonth.to.slice(4)}`, 1), to: lastMonth.to };

const countyArea = await resolveStatsArea(db, county, null);
const cityArea = city ? await resolveStatsArea(db, city, null) : null;
const townshipArea = await resolveStatsArea(db, township, null);
// A period that starts and ends mid-month: two partial months counted from the matters.
const midMonths: Period = { from: `${lastMonth.from.slice(0, 8)}15`, to: addDays(`${today.slice(0, 7)}-15`, -1) };
const twoYears: Period = { from: addDays(year.from, -365), to: year.to };

const studioIds = (await listStudios(db, county)).studios.map((s) => s.id);

const queries: [key: string, label: string, run: () => unknown][] = [
	['counts_month', 'county, month: every count', () => statCounts(db, countyArea, lastMonth)],
	['counts_quarter', 'county, quarter: every count', () => statCounts(db, countyArea, quarter)],
	['counts_year', 'county, year: every count', () => statCounts(db, countyArea, year)],
	['counts_mid_month', 'county, 15th to 14th: two partial months', () => statCounts(db, countyArea, midMonths)],
	['counts_trend', 'county, 24 months: matters per month', () => statCounts(db, countyArea, twoYears, { dims: ['total'], byMonth: true })],
	['counts_township_year', 'township, year: every count', () => statCounts(db, townshipArea, year)],
	['outcomes_year', 'county, year: outcome classes', () => outcomeFigures(db, countyArea, year)],
	['agreements_year', 'county, year: agreements in effect', () => effectiveAgreements(db, countyArea, year)],
	['dashboard_county_month', 'county supervisor, whole dashboard, last month', () => loadDashboard(db, county, { period: lastMonth, placeId: null })],
	['dashboard_county_quarter', 'county supervisor, whole dashboard, quarter', () => loadDashboard(db, county, { period: quarter, placeId: null })],
	['dashboard_county_year', 'county supervisor, whole dashboard, year', () => loadDashboard(db, county, { period: year, placeId: null })],
	['dashboard_township_month', 'township supervisor, whole dashboard, month', () => loadDashboard(db, township, { period: lastMonth, placeId: null })],
	['dashboard_township_year', 'township supervisor, whole dashboard, year', () => loadDashboard(db, township, { period: year, placeId: null })],
	['clusters_county', 'county: recurring matters over 90 days', () => findClusters(db, county, { period: lastMonth, placeId: null })],
	['clusters_township', 'township: recurring matters over 90 days', () => findClusters(db, township, { period: lastMonth, placeId: null })],
	['report_county', 'county: the monthly report', () => loadMonthlyReport(db, county, { month: lastMonthKey, placeId: null })],
	// The assessment circular ranks every township and department for the period and the one before,
	// each against the same period last year: six reads of the counts and two of the orders.
	['circular_month', 'county: the assessment circular, month', () => loadCircular(db, county, parsePeriod(lastMonthKey)!)],
	['circular_quarter', 'county: the assessment circular, quarter', () => loadCircular(db, county, parsePeriod(`${lastMonthKey.slice(0, 4)}-Q${Math.ceil(Number(lastMonthKey.slice(5, 7)) / 3)}`)!)],
	['circular_year', 'county: the assessment circular, year', () => loadCircular(db, county, parsePeriod(lastMonthKey.slice(0, 4))!)],
	['circular_township_year', 'township supervisor: the circular, year', () => loadCircular(db, township, parsePeriod(lastMonthKey.slice(0, 4))!)],
	// The studios' figures read only the studios' matters (partial index on cases.studio_id).
	['studios_county', 'county: studios with figures (by-studio comparison)', () => listStudios(db, county)],
	['studio_page_township', 'township supervisor: one studio page', () => loadStudio(db, township, studioIds[0])]
];
if (city && cityArea) {
	queries.push(
		['counts_city_month', 'city, month: every count', () => statCounts(db, cityArea, lastMonth)],
		['counts_city_year', 'city, year: every count', () => statCounts(db, cityArea, year)],
		['counts_city_mid_month', 'city, 15th to 14th: two partial months', () => statCounts(db, cityArea, midMonths)],
		['dashboard_city_month', 'city supervisor, whole dashboard, last month', () => loadDashboard(db, city, { period: lastMonth, placeId: null })],
		['dashboard_city_year', 'city supervisor, whole dashboard, year', () => loadDashboard(db, city, { period: year, placeId: null })],
		// The city supervisor looking at one county of the city: the county's dashboard, one level down.
		['dashboard_city_county_month', 'city supervisor, one county, last month', () => loadDashboard(db, city, { period: lastMonth, placeId: county.place.id })],
		['clusters_city', 'city: recurring matters over 90 days', () => findClusters(db, city, { period: lastMonth, placeId: null })],
		['report_city', 'city: the monthly report', () => loadMonthlyReport(db, city, { month: lastMonthKey, placeId: null })]
	);
}

// `--only clusters_county,report_county`: time just those.
const only = args.only ? new Set(args.only.split(',')) : null;
if (only) queries.splice(0, queries.length, ...queries.filter(([key]) => only.has(key)));

const figures: Record<string, { p50_ms: number; p95_ms: number } | number> = {};

console.log(`${database.kind}, ${total.toLocaleString('en')} cases, month ${lastMonth.from}…${lastMonth.to}, ${RUNS} runs after ${WARMUP} warm-ups, load average ${loadavg()[0].toFixed(1)}`);
for (let i = 0; i < WARMUP; i++) for (const [, , run] of queries) await run();
if (args.explain) {
	for (const [key, label, run] of queries) await explainRun(database, `${key} (${label})`, run);
	console.log('');
}
for (const [key, label, run] of queries) {
	const { p50, p95 } = await timeQuery(run, RUNS);
	figures[key] = { p50_ms: round(p50), p95_ms: round(p95) };
	console.log(`  ${label.padEnd(54)} p50 ${p50.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms`);
}
console.log(`load average after: ${loadavg()[0].toFixed(1)}`);

// How good the clusters are on this data: the bulk matters' texts come from a few templates per
// category, so a cluster is pure when its members share one title (place + template), and complete
// when a template's matters in a place end up in one cluster rather than several.
{
	const { window, clusters } = await findClusters(db, county, { period: lastMonth, placeId: null });
	const ids = clusters.flatMap((c) => c.caseIds);
	const titles = new Map(
		ids.length ? (await db.select({ id: cases.id, title: cases.title }).from(cases).where(inArray(cases.id, ids))).map((r) => [r.id, r.title]) : []
	);
	let majority = 0;
	const clustersPerTitle = new Map<string, number>();
	for (const c of clusters) {
		const perTitle = new Map<string, number>();
		for (const id of c.caseIds) perTitle.set(titles.get(id)!, (perTitle.get(titles.get(id)!) ?? 0) + 1);
		const [top] = [...perTitle].sort((a, b) => b[1] - a[1]);
		majority += top[1];
		clustersPerTitle.set(`${c.placeId}:${top[0]}`, (clustersPerTitle.get(`${c.placeId}:${top[0]}`) ?? 0) + 1);
	}
	const sizes = clusters.map((c) => c.caseIds.length).sort((a, b) => a - b);
	console.log(
		`clusters, county, ${window.from}…${window.to}: ${clusters.length} clusters of ${ids.length} matters (sizes ${sizes[0] ?? 0}–${sizes.at(-1) ?? 0}, median ${sizes[Math.floor(sizes.length / 2)] ?? 0}); ` +
			`purity ${ids.length ? ((majority / ids.length) * 100).toFixed(1) : '—'}% (members sharing their cluster's title); ` +
			`${[...clustersPerTitle.values()].filter((n) => n > 1).length} titles split over more than one cluster`
	);
}
const rss = peakRssMib();
console.log(`peak RSS ${rss} MiB (limit 1,024)`);
figures.peak_rss_mib = rss;
await closeDatabase();
console.log(JSON.stringify(figures));
