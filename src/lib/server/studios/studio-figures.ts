import { and, eq, gte, inArray, isNotNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { agreements, agreementTerms, cases, returnVisits, termPerformance } from '../db/schema';
import { periodBounds, type Period } from '../stats/rules';
import { share } from './rules';

/**
 * A studio's figures over every matter ever assigned to it and still with it, or, for a period (the
 * statistics' "by studio" dimension), each figure by its own date as the dashboard counts them:
 * caseload, open and resolved over the matters given to the studio in the period; time to resolve over
 * those concluded in it; agreements that took effect in it; terms that fell due in it (up to today);
 * return visits made in it.
 */
export interface StudioFigures {
	/** Matters assigned to the studio, and how many of them are still being worked on. */
	caseload: number;
	open: number;
	/** Concluded (办结) matters and their share of the caseload, in percent. */
	resolved: number;
	resolvedShare: number | null;
	/** Average days from assignment to the studio to conclusion, over the matters concluded after it. */
	averageDays: number | null;
	/** Mediation agreements in force (生效) on its matters. */
	agreementsInForce: number;
	/** Terms of those agreements due by today, how many performed (latest follow-up), in percent. */
	termsDue: number;
	termsDone: number;
	performanceShare: number | null;
	/** Return visits (回访) to its parties and their average satisfaction (1–5). */
	visits: number;
	satisfaction: number | null;
}

const int = (v: unknown) => Number(v ?? 0);
const days = (v: string | null) => (v == null ? null : Math.round(Number(v) * 10) / 10);

export interface StudioFiguresOptions {
	/** The day the figures are for (Shanghai date; otherwise today). */
	today?: string;
	/** The period the figures cover (otherwise all time). */
	period?: Period | null;
}

/**
 * The figures of several studios at once: four grouped queries, each reading the studios' matters
 * through the partial index on `cases.studio_id` (a studio has tens or hundreds of matters, not the
 * county's hundred thousand), so a studio page and the comparison stay fast on the bulk data
 * (scripts/bench-stats.ts measures it).
 */
export async function studioFigures(
	db: Db,
	studioIds: readonly number[], options: StudioFiguresOptions = {}
): Promise<Map<number, StudioFigures>> {
	const { today = shanghaiDate(new Date()), period = null } = options;
	const result = new Map<number, StudioFigures>();
	if (studioIds.length === 0) return result;
	const ids = [...studioIds];
	const ofStudio = inArray(cases.studioId, ids);
	const closed = sql`${cases.status} in ('concluded', 'follow_up', 'archived')`;
	const bounds = period ? periodBounds(period) : null;
	const within = (column: typeof cases.studioAssignedAt | typeof cases.concludedAt): SQL | undefined =>
		bounds ? and(gte(column, bounds.start), lt(column, bounds.end)) : undefined;
	const onDays = (column: typeof agreements.effectiveOn | typeof agreementTerms.dueOn | typeof returnVisits.visitedOn): SQL | undefined =>
		period ? and(gte(column, period.from), lte(column, period.to)) : undefined;
	const concludedIn = within(cases.concludedAt);
	const latestDone = sql`(select ${termPerformance.done} from ${termPerformance} where ${termPerformance.termId} = ${agreementTerms.id}
		order by ${termPerformance.recordedAt} desc, ${termPerformance.id} desc limit 1)`;
	const [caseRows, concludedRows, agreementRows, termRows, visitRows] = await Promise.all([
		db
			.select({
				studioId: cases.studioId,
				caseload: sql<number>`count(*)`,
				open: sql<number>`count(*) filter (where ${cases.status} not in ('not_accepted', 'concluded', 'follow_up', 'archived'))`,
				resolved: sql<number>`count(*) filter (where ${closed})`,
				averageDays: sql<string | null>`avg(extract(epoch from (${cases.concludedAt} - ${cases.studioAssignedAt})) / 86400)
					filter (where ${closed} and ${cases.concludedAt} >= ${cases.studioAssignedAt})`
			})
			.from(cases)
			.where(and(ofStudio, within(cases.studioAssignedAt)))
			.groupBy(cases.studioId),
		// Time to resolve over the matters concluded in the period, whenever the studio took them.
		bounds
			? db
					.select({
						studioId: cases.studioId,
						averageDays: sql<string | null>`avg(extract(epoch from (${cases.concludedAt} - ${cases.studioAssignedAt})) / 86400)`
					})
					.from(cases)
					.where(and(ofStudio, closed, concludedIn, sql`${cases.concludedAt} >= ${cases.studioAssignedAt}`))
					.groupBy(cases.studioId)
			: Promise.resolve(null),
		db
			.select({ studioId: cases.studioId, n: sql<number>`count(*)` })
			.from(agreements)
			.innerJoin(cases, eq(cases.id, agreements.caseId))
			.where(and(ofStudio, eq(agreements.status, 'effective'), onDays(agreements.effectiveOn)))
			.groupBy(cases.studioId),
		db
			.select({ studioId: cases.studioId, due: sql<number>`count(*)`, done: sql<number>`count(*) filter (where ${latestDone})` })
			.from(agreementTerms)
			.innerJoin(agreements, eq(agreements.id, agreementTerms.agreementId))
			.innerJoin(cases, eq(cases.id, agreements.caseId))
			.where(and(ofStudio, eq(agreements.status, 'effective'), isNotNull(agreementTerms.dueOn), lte(agreementTerms.dueOn, today), onDays(agreementTerms.dueOn)))
			.groupBy(cases.studioId),
		db
			.select({ studioId: cases.studioId, n: sql<number>`count(*)`, average: sql<string | null>`avg(${returnVisits.satisfaction})` })
			.from(returnVisits)
			.innerJoin(cases, eq(cases.id, returnVisits.caseId))
			.where(and(ofStudio, onDays(returnVisits.visitedOn)))
			.groupBy(cases.studioId)
	]);
	for (const id of ids) {
		result.set(id, { caseload: 0, open: 0, resolved: 0, resolvedShare: null, averageDays: null, agreementsInForce: 0, termsDue: 0, termsDone: 0, performanceShare: null, visits: 0, satisfaction: null });
	}
	for (const r of caseRows) {
		const f = result.get(r.studioId!)!;
		f.caseload = int(r.caseload);
		f.open = int(r.open);
		f.resolved = int(r.resolved);
		f.resolvedShare = share(f.resolved, f.caseload);
		if (!concludedRows) f.averageDays = days(r.averageDays);
	}
	for (const r of concludedRows ?? []) result.get(r.studioId!)!.averageDays = days(r.averageDays);
	for (const r of agreementRows) result.get(r.studioId!)!.agreementsInForce = int(r.n);
	for (const r of termRows) {
		const f = result.get(r.studioId!)!;
		f.termsDue = int(r.due);
		f.termsDone = int(r.done);
		f.performanceShare = share(f.termsDone, f.termsDue);
	}
	for (const r of visitRows) {
		const f = result.get(r.studioId!)!;
		f.visits = int(r.n);
		f.satisfaction = r.average == null ? null : Math.round(Number(r.average) * 100) / 100;
	}
	return result;
}
