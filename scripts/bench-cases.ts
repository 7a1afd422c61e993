/**
 * `npm run bench:cases [-- --runs 50 --warmup 5]`: times the case list on the configured database
 * (load it first with `npm run seed:bulk -- --cases 200000`). For the county supervisor and a
 * township supervisor (the demo accounts `supervisor` and `tubu.supervisor`), and the city supervisor
 * (`city.supervisor`) when the database has a city (`seed:bulk --counties N`), it times `listCases`
 * for the default list and later pages, a filtered list and a Chinese text search (whole, and its rows
 * alone: the page streams a text search's count after them), and the whole /cases load function called
 * with a synthetic event. Prints p50/p95 per query and, as its last
 * line, one JSON object of the figures. `--only key,key` times only those; `--explain` first prints
 * every statement each of them sends with its plan (EXPLAIN (ANALYZE, BUFFERS)).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { count, eq } from 'drizzle-orm';
import type { RequestEvent } from '@sveltejs/kit';
import { listCases, listCasesDeferred } from '../src/lib/server/cases/list/list-cases';
import { DEFAULT_FILTERS, MAX_PAGE, type CaseListFilters } from '../src/lib/server/cases/list/rules';
import { closeDatabase, getDatabase } from '../src/lib/server/db';
import { prepareDatabase } from '../src/lib/server/prepare';
import { caseCategories, cases, users } from '../src/lib/server/db/schema';
import { explainRun } from './bench/explain';
import { demoViewer, peakRssMib, round, Settle, timeQuery } from './bench/timing';
import type { Viewer } from '../src/lib/types';
import { load } from '../src/routes/(app)/cases/+page.server';

const { values: args } = parseArgs({
	options: { runs: { type: 'string', default: '50' }, warmup: { type: 'string', default: '5' }, only: { type: 'string' }, explain: { type: 'boolean', default: false } }
});
const RUNS = Number(args.runs);
const WARMUP = Number(args.warmup);

await prepareDatabase();
const database = await getDatabase();
const db = database.db;
const [{ n: total }] = await db.select({ n: count() }).from(cases);
if (total < 1000) console.warn(`only ${total} cases: load the bulk data first (npm run seed:bulk -- --cases 200000)`);

const viewer = (username: string) => demoViewer(db, username);
const county = await viewer('supervisor');
const township = await viewer('tubu.supervisor');
// The city's figures only where `seed:bulk --counties N` made one.
const [cityAccount] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'city.supervisor'));
const city = cityAccount ? await viewer('city.supervisor') : null;
const [land] = await db.select({ id: caseCategories.id }).from(caseCategories).where(eq(caseCategories.code, 'land_forest'));

const list = (v: Viewer, f: Partial<CaseListFilters> = {}) => () => listCases(db, v, { ...DEFAULT_FILTERS, ...f });

/**
 * The /cases load as SvelteKit calls it: only the parts of the event the load reads are real. A text
 * search's count is streamed after the rows; it is awaited here too, so the figure is the whole answer.
 */
const pageLoad = (v: Viewer, search = '') => async () => {
	const url = new URL(`http://bench.local/cases${search}`);
	const event = { locals: { user: v, session: null }, url, request: new Request(url), isDataRequest: false } as unknown as RequestEvent;
	const data = (await load(event as Parameters<typeof load>[0])) as { total: unknown };
	return { ...data, total: await data.total };
};
/** The rows of a list alone, as the page shows them before a streamed count arrives. */
const rowsOnly = (v: Viewer, f: Partial<CaseListFilters>) => async () => {
	const page = await listCasesDeferred(db, v, { ...DEFAULT_FILTERS, ...f });
	return new Settle(Promise.resolve(page.total));
};

const queries: [key: string, label: string, run: () => unknown][] = [
	['list', 'county supervisor, default list, page 1', list(county)],
	['list_page2', 'county supervisor, default list, page 2', list(county, { page: 2 })],
	['list_page10', 'county supervisor, default list, page 10', list(county, { page: 10 })],
	['list_page_last', `county supervisor, default list, page ${MAX_PAGE} (last)`, list(county, { page: MAX_PAGE })],
	['township_list', 'township supervisor, default list, page 1', list(township)],
	['township_list_page10', 'township supervisor, default list, page 10', list(township, { page: 10 })],
	['filtered', 'county: open statuses + overdue + land category', list(county, { statuses: ['accepted', 'assigned', 'in_mediation'], due: 'overdue', categoryId: land.id })],
	['due_sort', 'county: sorted by nearest deadline', list(county, { sort: 'due_asc' })],
	['text_search', 'county: Chinese text 排水沟', list(county, { text: '排水沟' })],
	['text_search_rows', 'county: Chinese text 排水沟, rows (count streamed)', rowsOnly(county, { text: '排水沟' })],
	['text_search_name', 'county: a party name 王建华', list(county, { text: '王建华' })],
	['text_search_rare', 'county: text with no match 不存在的词', list(county, { text: '不存在的词' })],
	['township_text_search', 'township: Chinese text 宅基地', list(township, { text: '宅基地' })],
	['township_text_search_rows', 'township: Chinese text 宅基地, rows (count streamed)', rowsOnly(township, { text: '宅基地' })],
	['number_search', 'county: exact case number', list(county, { text: (await db.select({ number: cases.number }).from(cases).limit(1))[0]?.number ?? '2026-000001' })],
	['page', 'county supervisor, whole /cases load', pageLoad(county)],
	['township_page', 'township supervisor, whole /cases load', pageLoad(township)],
	['page_text_search', 'county supervisor, whole /cases load, text 排水沟', pageLoad(county, `?q=${encodeURIComponent('排水沟')}`)]
];
if (city) {
	queries.push(
		['city_list', 'city supervisor, default list, page 1', list(city)],
		['city_list_page10', 'city supervisor, default list, page 10', list(city, { page: 10 })],
		['city_filtered', 'city: open statuses + overdue + land category', list(city, { statuses: ['accepted', 'assigned', 'in_mediation'], due: 'overdue', categoryId: land.id })],
		['city_text_search', 'city: Chinese text 排水沟', list(city, { text: '排水沟' })],
		['city_text_search_rows', 'city: Chinese text 排水沟, rows (count streamed)', rowsOnly(city, { text: '排水沟' })],
		['city_page', 'city supervisor, whole /cases load', pageLoad(city)]
	);
}

// `--only list,text_search`: time just those.
const only = args.only ? new Set(args.only.split(',')) : null;
if (only) queries.splice(0, queries.length, ...queries.filter(([key]) => only.has(key)));

const figures: Record<string, number | string> = { driver: database.kind, cases: total, runs: RUNS };

console.log(`${database.kind}, ${total.toLocaleString('en')} cases, ${RUNS} runs after ${WARMUP} warm-ups, load average ${loadavg()[0].toFixed(1)}`);
// A fresh process first compiles its hot code (PGlite's WebAssembly too) and fills its caches: three
// seconds of the default list, then the warm-ups of every query, before anything is timed.
for (const until = performance.now() + 3000; performance.now() < until; ) await queries[0][2]();
for (let i = 0; i < WARMUP; i++) for (const [, , run] of queries) await run();
if (args.explain) {
	for (const [key, label, run] of queries) await explainRun(database, `${key} (${label})`, run);
	console.log('');
}
for (const [key, label, run] of queries) {
	await run();
	const { p50, p95 } = await timeQuery(run, RUNS);
	figures[`${key}_p50_ms`] = round(p50);
	figures[`${key}_p95_ms`] = round(p95);
	console.log(`  ${label.padEnd(52)} p50 ${p50.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms`);
}
figures.load_average = round(loadavg()[0]);
const rss = peakRssMib();
console.log(`peak RSS ${rss} MiB (limit 1,024)`);
figures.peak_rss_mib = rss;
await closeDatabase();
console.log(JSON.stringify(figures));
