import { and, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Channel } from '../cases/intake/rules';
import type { CaseStatus } from '../cases/states';
import type { Db } from '../db';
import { executeRows } from '../db/execute-rows';
import { agreements, agreementTerms, caseCategories, caseOutcomes, cases, places, returnVisits, termPerformance, users } from '../db/schema';
import { shanghaiDate } from '../cases/shanghai-date';
import { byKey, histogramStats, statCounts, type StatCount } from './counts';
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
	/** Terms of agreements in effect that fell due in the period (up to today): how many were performed. */
	performance: { due: number; done: number; rate: number | null };
	/** Return visits (回访) made in the period, with the parties' satisfaction (1–5): "事心双解". */
	returnVisits: { count: number; average: number | null };
}

export type OutcomeKind = (typeof caseOutcomes.$inferSelect)['kind'];
export type OutcomeClass = (typeof caseOutcomes.$inferSelect)['outcomeClass'];
export type PetitionDecision = (typeof caseOutcomes.$inferSelect)['petitionDecision'];

const int = (v: unknown): number => Number(v ?? 0);

/** The figures of the headline comparisons: all a comparison period needs to read. */
const INTAKE_DIMS = ['total', 'repeat', 'escalated'] as const;

/**
 * Every figure of the dashboard for the viewer's area (or a place inside it) and a period. The matters'
 * figures come from the counts the database keeps (`statCounts`: a few hundred rows per period, plus
 * at most two partial months counted from the matters), never a scan of a year of matters; outcomes and
 * agreements, far fewer, are counted directly.
 */
export async function loadDashboard(db: Db, viewer: Viewer, query: StatsQuery): Promise<Dashboard> {
	const area = await resolveStatsArea(db, viewer, query.placeId);
	const { period } = query;
	const periods = { lastYear: sameDatesLastYear(period), previous: previousPeriod(period) };
	const span = trendPeriod(period);
	const [counts, lastYear, previous, trendCounts, outcomes, agreementsEffective, performance, returnVisits] = await Promise.all([
		statCounts(db, area, period),
		statCounts(db, area, periods.lastYear, { dims: INTAKE_DIMS }),
		statCounts(db, area, periods.previous, { dims: INTAKE_DIMS }),
		statCounts(db, area, { from: sameDatesLastYear(span).from, to: span.to }, { dims: ['total'], byMonth: true }),
		outcomeFigures(db, area, period),
		effectiveAgreements(db, area, period),
		performanceFigures(db, area, period),
		returnVisitFigures(db, area, period)
	]);
	const intake = intakeOf(counts);
	const compare = (name: keyof typeof periods, rows: StatCount[]): Comparison => {
		const before = intakeOf(rows);
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
	return {
		area: { id: area.id, kind: area.kind, name: area.name },
		period,
		intake,
		lastYear: compare('lastYear', lastYear),
		previous: compare('previous', previous),
		...(await breakdowns(db, area, counts)),
		trend: trendOf(span, trendCounts),
		resolution: resolutionOf(counts),
		conclusion: conclusionOf(counts),
		ratings: ratingsOf(counts),
		agents: await agentsOf(db, counts),
		outcomes,
		agreementsEffective,
		performance,
		returnVisits
	};
}

export function intakeOf(counts: StatCount[]): Intake {
	const repeat = byKey(counts, 'repeat');
	return {
		total: byKey(counts, 'total').get('') ?? 0,
		firstTime: repeat.get('false') ?? 0,
		repeat: repeat.get('true') ?? 0,
		escalated: byKey(counts, 'escalated').get('true') ?? 0
	};
}

/** Counts by channel, category, status and place, with the names of categories and places. */
export async function breakdowns(db: Db, area: StatsArea, counts: StatCount[]): Promise<Pick<Dashboard, 'byChannel' | 'byCategory' | 'byStatus' | 'byPlace'>> {
	const sorted = (dim: string) => [...byKey(counts, dim)].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	const perPlace = new Map<number, number>();
	for (const c of counts) if (c.dim === 'total' && c.child >= 0) perPlace.set(c.child, (perPlace.get(c.child) ?? 0) + c.n);
	const placeRows = [...perPlace].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
	const categoryRows = sorted('category').map(([key, n]) => [Number(key), n] as const);
	const placeIds = placeRows.flatMap(([id]) => (id > 0 ? [id] : []));
	const [categoryNames, placeNames] = await Promise.all([
		categoryRows.length
			? db
					.select({ id: caseCategories.id, zh: caseCategories.nameZh, en: caseCategories.nameEn })
					.from(caseCategories)
					.where(inArray(caseCategories.id, categoryRows.map(([id]) => id)))
			: [],
		area.childColumn && placeIds.length ? db.select({ id: places.id, name: places.name }).from(places).where(inArray(places.id, placeIds)) : []
	]);
	const category = new Map(categoryNames.map((c) => [c.id, c]));
	const place = new Map(placeNames.map((p) => [p.id, p.name]));
	return {
		byChannel: sorted('channel').map(([key, n]) => ({ key: key as Channel, count: n })),
		byCategory: categoryRows.map(([key, n]) => ({ key, count: n, zh: category.get(key)?.zh ?? '', en: category.get(key)?.en ?? '' })),
		byStatus: sorted('status').map(([key, n]) => ({ key: key as CaseStatus, count: n })),
		byPlace: area.childColumn ? placeRows.map(([key, n]) => ({ key: key > 0 ? key : null, count: n, name: key > 0 ? (place.get(key) ?? null) : null })) : []
	};
}

/** Matters per month for the twelve months ending with the period, and the same months a year earlier. */
export function trendOf(span: Period, counts: StatCount[]): Dashboard['trend'] {
	const perMonth = new Map<string, number>();
	for (const c of counts) if (c.dim === 'total') perMonth.set(c.month.slice(0, 7), (perMonth.get(c.month.slice(0, 7)) ?? 0) + c.n);
	const yearBefore = (m: string) => `${Number(m.slice(0, 4)) - 1}${m.slice(4)}`;
	return monthsOf(span).map((m) => ({ month: m, count: perMonth.get(m) ?? 0, lastYear: perMonth.get(yearBefore(m)) ?? 0 }));
}

/** Of the matters registered in the period: accepted, and of those concluded (化解率). */
export function resolutionOf(counts: StatCount[]): Dashboard['resolution'] {
	const accepted = byKey(counts, 'accepted').get('true') ?? 0;
	const concluded = byKey(counts, 'resolved').get('true') ?? 0;
	return { accepted, concluded, rate: rate(concluded, accepted) };
}

/**
 * Matters concluded in the period (whenever they came in): on time when concluded on or before the
 * statutory conclusion date stored for them (acceptance + 60 days, plus any extension); days counted
 * from registration to conclusion on the Shanghai calendar.
 */
export function conclusionOf(counts: StatCount[]): Dashboard['conclusion'] {
	const onTime = byKey(counts, 'concluded_on_time');
	const days = histogramStats(byKey(counts, 'concluded_days'));
	const concluded = (onTime.get('true') ?? 0) + (onTime.get('false') ?? 0);
	const oneDecimal = (v: number | null) => (v == null ? null : Math.round(v * 10) / 10);
	return { concluded, onTime: onTime.get('true') ?? 0, onTimeRate: rate(onTime.get('true') ?? 0, concluded), averageDays: oneDecimal(days.mean), medianDays: oneDecimal(days.median) };
}

/** Public ratings given in the period. */
export function ratingsOf(counts: StatCount[]): Dashboard['ratings'] {
	const { count, mean } = histogramStats(byKey(counts, 'rating'));
	return { count, average: mean == null ? null : Math.round(mean * 100) / 100 };
}

/** Matters filed on someone's behalf in the period, by agent, with the agent's name and place. */
export async function agentsOf(db: Db, counts: StatCount[]): Promise<Dashboard['agents']> {
	const perAgent = [...byKey(counts, 'agent')].filter(([, n]) => n > 0);
	if (perAgent.length === 0) return [];
	const people = await db
		.select({ id: users.id, name: users.name, place: places.name })
		.from(users)
		.innerJoin(places, eq(places.id, users.placeId))
		.where(inArray(users.id, perAgent.map(([id]) => Number(id))));
	const person = new Map(people.map((p) => [p.id, p]));
	return perAgent
		.flatMap(([id, count]) => {
			const p = person.get(Number(id));
			return p ? [{ id: p.id, name: p.name, place: p.place, count }] : [];
		})
		.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'));
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

/**
 * Terms due within the period (and not after today) of agreements in effect; a term counts as performed
 * when its latest follow-up says so (art. 31).
 */
export async function performanceFigures(db: Db, area: StatsArea, period: Period, today = shanghaiDate(new Date())): Promise<Dashboard['performance']> {
	const to = period.to < today ? period.to : today;
	const latestDone = sql`(select ${termPerformance.done} from ${termPerformance} where ${termPerformance.termId} = ${agreementTerms.id}
		order by ${termPerformance.recordedAt} desc, ${termPerformance.id} desc limit 1)`;
	const [row] = await db
		.select({ due: sql<number>`count(*)`.mapWith(Number), done: sql<number>`count(*) filter (where ${latestDone})`.mapWith(Number) })
		.from(agreementTerms)
		.innerJoin(agreements, eq(agreements.id, agreementTerms.agreementId))
		.innerJoin(cases, eq(cases.id, agreements.caseId))
		.where(and(area.condition, eq(agreements.status, 'effective'), gte(agreementTerms.dueOn, period.from), lte(agreementTerms.dueOn, to)));
	return { due: row.due, done: row.done, rate: rate(row.done, row.due) };
}

export async function returnVisitFigures(db: Db, area: StatsArea, period: Period): Promise<Dashboard['returnVisits']> {
	const [row] = await db
		.select({ count: sql<number>`count(*)`.mapWith(Number), average: sql<string | null>`avg(${returnVisits.satisfaction})` })
		.from(returnVisits)
		.innerJoin(cases, eq(cases.id, returnVisits.caseId))
		.where(and(area.condition, gte(returnVisits.visitedOn, period.from), lte(returnVisits.visitedOn, period.to)));
	return { count: row.count, average: row.average == null ? null : Math.round(Number(row.average) * 100) / 100 };
}
