import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { executeRows } from '../db/execute-rows';
import { caseCategories, cases, departments, matterClusterCases, matterClusters, places } from '../db/schema';
import { resolveStatsArea } from './area';
import { clusterMatters, type ClusterOptions, type MatterCluster, type MatterText } from './cluster-matters';
import { periodBounds, type Period, type StatsQuery } from './rules';
import { addDays, daysBetween } from '../cases/shanghai-date';

/** Recurring matters are looked for over at least this many days, ending with the period. */
export const CLUSTER_WINDOW_DAYS = 90;
/** At most this many matters are read for one search (the most recent ones), to bound its cost. */
const MAX_MATTERS = 30_000;
/** The most recent members shown as examples of a cluster. */
const EXAMPLES = 3;

export interface ClusterView extends MatterCluster {
	category: { zh: string; en: string };
	placeName: string;
	/** Members per month over the window, oldest first: is it growing? */
	monthly: { month: string; count: number }[];
	examples: { id: number; number: string; title: string; registeredOn: string }[];
	/** Set when these matters were already confirmed as one issue. */
	confirmed: { id: number; title: string; department: string } | null;
}

/**
 * Thousands of ids as one array parameter: `inArray` would make a parameter of each, and building
 * that statement cost more than running it.
 */
const idArray = (ids: number[]) => `{${ids.join(',')}}`;

export function clusterWindow(period: Period): Period {
	return daysBetween(period.from, period.to) + 1 >= CLUSTER_WINDOW_DAYS ? period : { from: addDays(period.to, -(CLUSTER_WINDOW_DAYS - 1)), to: period.to };
}

/**
 * The recurring matters among those that arose in the viewer's area (or a place in it) in the window,
 * largest first; with `top`, only that many (the monthly report names five of a county's thousands).
 */
export async function findClusters(
	db: Db,
	viewer: Viewer,
	query: StatsQuery,
	options: Partial<ClusterOptions> & { top?: number } = {}
): Promise<{ window: Period; clusters: ClusterView[] }> {
	const area = await resolveStatsArea(db, viewer, query.placeId);
	const window = clusterWindow(query.period);
	const { start, end } = periodBounds(window);
	const inWindow = and(area.condition, gte(cases.registeredAt, start), lt(cases.registeredAt, end));
	// The most recent MAX_MATTERS: the registration time of the last one, read from the area's
	// (place, registered_at) index, bounds the read below, so that read needs no sort of its rows. The
	// order is written as the indexes are (`desc nulls last`; registered_at is never null): plain `desc`
	// means nulls first, which the index cannot give, and at a city's size PostgreSQL then sorted 200,000
	// rows (90 ms) instead of walking 30,000 index entries.
	const [cutoff] = await db
		.select({ at: cases.registeredAt })
		.from(cases)
		.where(inWindow)
		.orderBy(sql`${cases.registeredAt} desc nulls last`)
		.offset(MAX_MATTERS - 1)
		.limit(1);
	const read = cutoff ? and(inWindow, gte(cases.registeredAt, cutoff.at))! : inWindow!;
	// Raw rows: the query builder's per-field mapping cost more than the read itself at this size. The
	// rows are the clustering's input as they come (no copy of 20,000 objects), one string each: the
	// registration date comes as a day number and takes one of a few shared strings, and the numbers and
	// titles of the few members shown are read after.
	const rows = await executeRows<MatterText & { day: number }>(
		db,
		sql`select ${cases.id}::integer as "id",
			-- The opening of a description says what a matter is about; the rest adds cost, not signal.
			${cases.title} || ' ' || left(${cases.description}, 300) as "text", ${cases.categoryId} as "categoryId",
			coalesce(${cases.villageId}, ${cases.townshipId}, ${cases.countyId})::integer as "placeId",
			(${cases.registeredAt} at time zone 'Asia/Shanghai')::date - date '2000-01-01' as "day"
		from ${cases} where ${read}`
	);
	const dayText = new Map<number, string>();
	for (const r of rows) {
		let on = dayText.get(r.day);
		if (on === undefined) dayText.set(r.day, (on = addDays('2000-01-01', r.day)));
		r.registeredOn = on;
	}
	const byId = new Map(rows.map((r) => [r.id, r]));
	const found = clusterMatters(rows, options).slice(0, options.top);
	if (found.length === 0) return { window, clusters: [] };

	const [categories, placeNames, confirmed, shown] = await Promise.all([
		db.select({ id: caseCategories.id, zh: caseCategories.nameZh, en: caseCategories.nameEn }).from(caseCategories),
		db.select({ id: places.id, name: places.name }).from(places).where(inArray(places.id, [...new Set(found.map((c) => c.placeId))])),
		// Confirmed issues of the matters read (a few, against thousands of ids to send).
		db
			.select({ caseId: matterClusterCases.caseId, id: matterClusters.id, title: matterClusters.title, department: departments.name })
			.from(matterClusterCases)
			.innerJoin(cases, eq(cases.id, matterClusterCases.caseId))
			.innerJoin(matterClusters, eq(matterClusters.id, matterClusterCases.clusterId))
			.innerJoin(departments, eq(departments.id, matterClusters.departmentId))
			.where(read),
		db
			.select({ id: cases.id, number: cases.number, title: cases.title })
			.from(cases)
			.where(sql`${cases.id} = any(${idArray(found.flatMap((c) => c.caseIds.slice(-EXAMPLES)))}::bigint[])`)
	]);
	const shownById = new Map(shown.map((r) => [r.id, r]));
	const category = new Map(categories.map((c) => [c.id, c]));
	const placeName = new Map(placeNames.map((p) => [p.id, p.name]));
	const confirmedBy = new Map(confirmed.map((c) => [c.caseId, { id: c.id, title: c.title, department: c.department }]));
	return {
		window,
		clusters: found.map((c) => {
			// Members come oldest first, so each month's are together: count the runs.
			const monthly: { month: string; count: number }[] = [];
			for (const id of c.caseIds) {
				const on = byId.get(id)!.registeredOn;
				const last = monthly.at(-1);
				if (last && on.startsWith(last.month)) last.count++;
				else monthly.push({ month: on.slice(0, 7), count: 1 });
			}
			return {
				...c,
				category: category.get(c.categoryId) ?? { zh: '', en: '' },
				placeName: placeName.get(c.placeId) ?? '',
				monthly,
				examples: c.caseIds
					.slice(-EXAMPLES)
					.reverse()
					.map((id) => {
						const r = shownById.get(id)!;
						return { id, number: r.number, title: r.title, registeredOn: byId.get(id)!.registeredOn };
					}),
				confirmed: c.caseIds.map((id) => confirmedBy.get(id)).find((x) => x) ?? null
			};
		})
	};
}
