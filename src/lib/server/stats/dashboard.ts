import { and, eq, gte, inArray, isNotNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Channel } from '../cases/intake/rules';
import type { CaseStatus } from '../cases/states';
import type { Db } from '../db';
import { executeRows } from '../db/execute-rows';
import { agreements, caseCategories, caseOutcomes, cases, places, users } from '../db/schema';
import { resolveStatsArea, type StatsArea } from './area';
import { monthsOf, percentChange, periodBounds, previousPeriod, rate, sameDatesLastYear, trendPeriod, type Period, type StatsQuery } from './rules';

/** How many matters came in, of which first-time, repeat and raised beyond the county. */
export interface Intake {
	total: number;
	firstTime: number;
	repeat: number;
	escalated: number;
}

export interface Comparison {
	period: Period;
	intake: Intake;
	/** Percent change of each figure from that period to this one (null when it had none). */
	change: Record<keyof Intake, number | null>;
}

export interface Count<K> {
	key: K;
	count: number;
}

export interface Dashboard {
	area: { id: number; kind: StatsArea['kind']; name: string };
	period: Period;
	intake: Intake;
	lastYear: Comparison;
	previous: Comparison;
	byChannel: Count<Channel>[];
	byCategory: (Count<number> & { zh: string; en: string })[];
	byStatus: Count<CaseStatus>[];
	/** One level down (townships of a county, villages of a township); null key = raised at this level. */
	byPlace: (Count<number | null> & { name: string | null })[];
	trend: { month: string; count: number; lastYear: number }[];
	/** Of the matters registered in the period: accepted, and of those concluded (化解率). */
	resolution: { accepted: number; concluded: number; rate: number | null };
	/** Of the matters concluded in the period: by their statutory due date, and how long they took. */
	conclusion: { concluded: number; onTime: number; onTimeRate: number | null; averageDays: number | null; medianDays: number | null };
	/** Public ratings given in the period by the people who raised the matters. */
	ratings: { count: number; average: number | null };
	/** Matters filed on someone's behalf in the period, by the agent who filed them. */
	agents: { id: number; name: string; place: string; count: number }[];
	/**
	 * Outcomes recorded in the period (a matter's latest one): how mediation ended, the county's
	 * 三个一批 class, and the petition decision (信访工作条例 art. 32).
	 */
	outcomes: {
		total: number;
		byKind: Count<OutcomeKind>[];
		byClass: Count<OutcomeClass>[];
		byDecision: Count<PetitionDecision>[];
	};
	/** Written agreements (调解协议书) that took effect in the period. */
	agreementsEffective: number;
}

export type OutcomeKind = (typeof caseOutcomes.$inferSelect)['kind'];
export type OutcomeClass = (typeof caseOutcomes.$inferSelect)['outcomeClass'];
export type PetitionDecision = (typeof caseOutcomes.$inferSelect)['petitionDecision'];

const int = (v: unknown): number => Number(v ?? 0);

/** Matters registered within [start, end). */
export const registeredIn = (period: Period): SQL => {
	const { start, end } = periodBounds(period);
	return and(gte(cases.registeredAt, start), lt(cases.registeredAt, end))!;
};

/**
 * Every figure of the dashboard for the viewer's area (or a place inside it) and a period. Each figure
 * is one indexed query over the matters of the area in the period (origin area and registration date
 * lead the indexes), never a scan of the whole table.
 */
export async function loadDashboard(db: Db, viewer: Viewer, query: StatsQuery): Promise<Dashboard> {
	const area = await resolveStatsArea(db, viewer, query.placeId);
	const { period } = query;
	const inPeriod = and(area.condition, registeredIn(period))!;
	const [intake, groups, trend, resolution, conclusion, ratings, agents, outcomes, agreementsEffective] = await Promise.all([
		intakeComparisons(db, area, period),
		breakdowns(db, area, inPeriod),
		monthlyTrend(db, area, period),
		resolutionFigures(db, inPeriod),
		conclusionFigures(db, area, period),
		ratingFigures(db, area, period),
		agentFigures(db, inPeriod),
		outcomeFigures(db, area, period),
		effectiveAgreements(db, area, period)
	]);
	return {
		area: { id: area.id, kind: area.kind, name: area.name },
		period,
		...intake,
		...groups,
		trend,
		resolution,
		conclusion,
		ratings,
		agents,
		outcomes,
		agreementsEffective
	};
}

export async function intakeComparisons(db: Db, area: StatsArea, period: Period): Promise<Pick<Dashboard, 'intake' | 'lastYear' | 'previous'>> {
	const periods = { now: period, lastYear: sameDatesLastYear(period), previous: previousPeriod(period) };
	const figures = (name: string, p: Period) => {
		const within = registeredIn(p);
		const as = (figure: string) => sql.identifier(`${name}_${figure}`);
		return [
			sql`count(*) filter (where ${within}) as ${as('total')}`,
			sql`count(*) filter (where ${within} and not ${cases.isRepeat}) as ${as('first')}`,
			sql`count(*) filter (where ${within} and ${cases.isRepeat}) as ${as('repeat')}`,
			sql`count(*) filter (where ${within} and ${cases.escalatedBeyondCounty}) as ${as('escalated')}`
		];
	};
	const columns = Object.entries(periods).flatMap(([name, p]) => figures(name, p));
	const [row] = await executeRows<Record<string, unknown>>(
		db,
		sql`select ${sql.join(columns, sql`, `)} from ${cases}
			where ${and(area.condition, or(...Object.values(periods).map(registeredIn)))}`
	);
	const read = (name: string): Intake => ({
		total: int(row[`${name}_total`]),
		firstTime: int(row[`${name}_first`]),
		repeat: int(row[`${name}_repeat`]),
		escalated: int(row[`${name}_escalated`])
	});
	const intake = read('now');
	const compare = (name: 'lastYear' | 'previous'): Comparison => {
		const before = read(name);
		return {
			period: periods[name],
			intake: before,
			change: {
				total: percentChange(intake.total, before.total),
				firstTime: percentChange(intake.firstTime, before.firstTime),
				repeat: percentChange(intake.repeat, before.repeat),
				escalated: percentChange(intake.escalated, before.escalated)
			}
		};
	};
	return { intake, lastYear: compare('lastYear'), previous: compare('previous') };
}

/** Counts by channel, category, status and place in one pass (grouping sets). */
export async function breakdowns(db: Db, area: StatsArea, inPeriod: SQL): Promise<Pick<Dashboard, 'byChannel' | 'byCategory' | 'byStatus' | 'byPlace'>> {
	const placeColumn = area.childColumn ?? sql`null::integer`;
	const rows = await executeRows<{ dim: string; channel: Channel | null; category: number | null; status: CaseStatus | null; place: number | null; n: unknown }>(
		db,
		sql`select
				case when grouping(${cases.channel}) = 0 then 'channel'
				     when grouping(${cases.categoryId}) = 0 then 'category'
				     when grouping(${cases.status}) = 0 then 'status'
				     else 'place' end as dim,
				${cases.channel} as channel, ${cases.categoryId} as category, ${cases.status} as status,
				${placeColumn} as place, count(*) as n
			from ${cases}
			where ${inPeriod}
			group by grouping sets ((${cases.channel}), (${cases.categoryId}), (${cases.status}), (${placeColumn}))`
	);
	const byDim = (dim: string) => rows.filter((r) => r.dim === dim).sort((a, b) => int(b.n) - int(a.n));
	const categoryIds = byDim('category').map((r) => r.category!);
	const placeIds = area.childColumn ? byDim('place').flatMap((r) => (r.place == null ? [] : [r.place])) : [];
	const [categoryNames, placeNames] = await Promise.all([
		categoryIds.length
			? db.select({ id: caseCategories.id, zh: caseCategories.nameZh, en: caseCategories.nameEn }).from(caseCategories).where(inArray(caseCategories.id, categoryIds))
			: [],
		placeIds.length ? db.select({ id: places.id, name: places.name }).from(places).where(inArray(places.id, placeIds)) : []
	]);
	const category = new Map(categoryNames.map((c) => [c.id, c]));
	const place = new Map(placeNames.map((p) => [p.id, p.name]));
	return {
		byChannel: byDim('channel').map((r) => ({ key: r.channel!, count: int(r.n) })),
		byCategory: byDim('category').map((r) => ({ key: r.category!, count: int(r.n), zh: category.get(r.category!)?.zh ?? '', en: category.get(r.category!)?.en ?? '' })),
		byStatus: byDim('status').map((r) => ({ key: r.status!, count: int(r.n) })),
		byPlace: area.childColumn ? byDim('place').map((r) => ({ key: r.place, count: int(r.n), name: r.place == null ? null : (place.get(r.place) ?? null) })) : []
	};
}

/** Matters per month for the twelve months ending with the period, and the same months a year earlier. */
export async function monthlyTrend(db: Db, area: StatsArea, period: Period): Promise<Dashboard['trend']> {
	const span = trendPeriod(period);
	const earlier = sameDatesLastYear(span);
	const month = sql`to_char((${cases.registeredAt} at time zone 'UTC') + interval '8 hours', 'YYYY-MM')`;
	const rows = await executeRows<{ month: string; n: unknown }>(
		db,
		sql`select ${month} as month, count(*) as n from ${cases}
			where ${and(area.condition, or(registeredIn(span), registeredIn(earlier)))}
			group by 1`
	);
	const counts = new Map(rows.map((r) => [r.month, int(r.n)]));
	const yearBefore = (m: string) => `${Number(m.slice(0, 4)) - 1}${m.slice(4)}`;
	return monthsOf(span).map((m) => ({ month: m, count: counts.get(m) ?? 0, lastYear: counts.get(yearBefore(m)) ?? 0 }));
}

export async function resolutionFigures(db: Db, inPeriod: SQL): Promise<Dashboard['resolution']> {
	const [row] = await db
		.select({
			accepted: sql<number>`count(${cases.acceptedAt})`.mapWith(Number),
			concluded: sql<number>`count(*) filter (where ${cases.acceptedAt} is not null and ${cases.concludedAt} is not null)`.mapWith(Number)
		})
		.from(cases)
		.where(inPeriod);
	return { ...row, rate: rate(row.concluded, row.accepted) };
}

/**
 * Matters concluded in the period (whenever they came in): on time when concluded on or before the
 * statutory conclusion date stored for them (acceptance + 60 days, plus any extension); days counted
 * from registration to conclusion on the Shanghai calendar.
 */
export async function conclusionFigures(db: Db, area: StatsArea, period: Period): Promise<Dashboard['conclusion']> {
	const { start, end } = periodBounds(period);
	const concludedOn = sql`((${cases.concludedAt} at time zone 'UTC') + interval '8 hours')::date`;
	const days = sql`(${concludedOn} - ((${cases.registeredAt} at time zone 'UTC') + interval '8 hours')::date)`;
	const [row] = await executeRows<{ n: unknown; on_time: unknown; avg_days: unknown; median_days: unknown }>(
		db,
		sql`select count(*) as n,
				count(*) filter (where ${cases.concludeDueOn} is not null and ${concludedOn} <= ${cases.concludeDueOn}) as on_time,
				avg(${days}) as avg_days,
				percentile_cont(0.5) within group (order by ${days}) as median_days
			from ${cases}
			where ${and(area.condition, gte(cases.concludedAt, start), lt(cases.concludedAt, end))}`
	);
	const concluded = int(row.n);
	const onTime = int(row.on_time);
	const oneDecimal = (v: unknown) => (v == null ? null : Math.round(Number(v) * 10) / 10);
	return { concluded, onTime, onTimeRate: rate(onTime, concluded), averageDays: oneDecimal(row.avg_days), medianDays: oneDecimal(row.median_days) };
}

export async function ratingFigures(db: Db, area: StatsArea, period: Period): Promise<Dashboard['ratings']> {
	const { start, end } = periodBounds(period);
	const [row] = await db
		.select({ count: sql<number>`count(${cases.publicRating})`.mapWith(Number), average: sql<string | null>`avg(${cases.publicRating})` })
		.from(cases)
		.where(and(area.condition, gte(cases.publicRatedAt, start), lt(cases.publicRatedAt, end)));
	return { count: row.count, average: row.average == null ? null : Math.round(Number(row.average) * 100) / 100 };
}

export async function agentFigures(db: Db, inPeriod: SQL): Promise<Dashboard['agents']> {
	const rows = await db
		.select({ id: users.id, name: users.name, place: places.name, count: sql<number>`count(*)`.mapWith(Number) })
		.from(cases)
		.innerJoin(users, eq(users.id, cases.filedById))
		.innerJoin(places, eq(places.id, users.placeId))
		.where(and(inPeriod, eq(cases.channel, 'agent'), isNotNull(cases.filedById)))
		.groupBy(users.id, users.name, places.name)
		.orderBy(sql`count(*) desc`, users.name);
	return rows;
}

export async function outcomeFigures(db: Db, area: StatsArea, period: Period): Promise<Dashboard['outcomes']> {
	const { start, end } = periodBounds(period);
	const rows = await executeRows<{ kind: OutcomeKind | null; class: OutcomeClass | null; decision: PetitionDecision | null; n: unknown }>(
		db,
		sql`with latest as (
				select distinct on (${caseOutcomes.caseId}) ${caseOutcomes.kind} as kind, ${caseOutcomes.outcomeClass} as class, ${caseOutcomes.petitionDecision} as decision
				from ${caseOutcomes} inner join ${cases} on ${cases.id} = ${caseOutcomes.caseId}
				where ${and(area.condition, gte(caseOutcomes.recordedAt, start), lt(caseOutcomes.recordedAt, end))}
				order by ${caseOutcomes.caseId}, ${caseOutcomes.recordedAt} desc, ${caseOutcomes.id} desc)
			select kind, class, decision, count(*) as n from latest group by grouping sets ((kind), (class), (decision))`
	);
	const of = <K>(pick: (r: (typeof rows)[number]) => K | null): Count<K>[] =>
		rows.flatMap((r) => (pick(r) == null ? [] : [{ key: pick(r)!, count: int(r.n) }])).sort((a, b) => b.count - a.count);
	const byKind = of((r) => r.kind);
	return { total: byKind.reduce((sum, r) => sum + r.count, 0), byKind, byClass: of((r) => r.class), byDecision: of((r) => r.decision) };
}

export async function effectiveAgreements(db: Db, area: StatsArea, period: Period): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)`.mapWith(Number) })
		.from(agreements)
		.innerJoin(cases, eq(cases.id, agreements.caseId))
		.where(and(area.condition, eq(agreements.status, 'effective'), gte(agreements.effectiveOn, period.from), lte(agreements.effectiveOn, period.to)));
	return row.n;
}
