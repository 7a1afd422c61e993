import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { executeRows } from '../db/execute-rows';
import type { Db } from '../db';
import { caseStatCounts, cases, supervisionOrders } from '../db/schema';
import { percentChange, type AssessmentPeriod, type UnitFigures } from './rules';

/** Counts of one unit: figure → value → n. */
export type UnitCounts = Map<string, Map<string, number>>;

const TOWNSHIP_DIMS = ['total', 'repeat', 'escalated_to', 'accepted_on_time', 'concluded_on_time', 'first_resolved', 'rating'];
const DEPARTMENT_DIMS = TOWNSHIP_DIMS.map((d) => `d_${d}`);

/** The last day of the month that starts on `monthStart`. */
export function monthEnd(monthStart: string): string {
	const [y, m] = monthStart.split('-').map(Number);
	return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

function add(out: Map<number, UnitCounts>, unit: number, dim: string, key: string, n: number) {
	const counts = out.get(unit) ?? new Map<string, Map<string, number>>();
	const byKey = counts.get(dim) ?? new Map<string, number>();
	byKey.set(key, (byKey.get(key) ?? 0) + n);
	counts.set(dim, byKey);
	out.set(unit, counts);
}

/**
 * The maintained counts (`case_stat_counts`, level 1: one row per township, month and figure) of a county
 * over whole months, per township (by the matter's origin; 0 = raised at the county) and per department
 * (the `d_` figures, keyed '<department>:<value>'). Two grouped reads of a few thousand rows at most,
 * whatever the number of matters.
 */
export async function countsByUnit(db: Db, countyId: number, period: AssessmentPeriod): Promise<{ townships: Map<number, UnitCounts>; departments: Map<number, UnitCounts> }> {
	const where = (dims: string[]) =>
		and(eq(caseStatCounts.countyId, countyId), eq(caseStatCounts.level, 1), gte(caseStatCounts.month, period.fromMonth), lte(caseStatCounts.month, period.toMonth), inArray(caseStatCounts.dim, dims));
	const [t, d] = await Promise.all([
		db
			.select({ unit: caseStatCounts.townshipId, dim: caseStatCounts.dim, key: caseStatCounts.key, n: sql<number>`sum(${caseStatCounts.n})`.mapWith(Number) })
			.from(caseStatCounts)
			.where(where(TOWNSHIP_DIMS))
			.groupBy(caseStatCounts.townshipId, caseStatCounts.dim, caseStatCounts.key),
		db
			.select({ dim: caseStatCounts.dim, key: caseStatCounts.key, n: sql<number>`sum(${caseStatCounts.n})`.mapWith(Number) })
			.from(caseStatCounts)
			.where(where(DEPARTMENT_DIMS))
			.groupBy(caseStatCounts.dim, caseStatCounts.key)
	]);
	const townships = new Map<number, UnitCounts>();
	const departments = new Map<number, UnitCounts>();
	for (const r of t) add(townships, r.unit, r.dim, r.key, r.n);
	for (const r of d) {
		const at = r.key.indexOf(':');
		add(departments, Number(r.key.slice(0, at)), r.dim.slice(2), r.key.slice(at + 1), r.n);
	}
	return { townships, departments };
}

/**
 * Supervision orders whose time limit fell in the period and that were answered late or are still
 * unanswered past it (as of `today`), per township and per department of their matter. Orders are few
 * (a push per stalled matter), so they are counted from their own table.
 */
export async function overdueOrders(db: Db, countyId: number, period: AssessmentPeriod, today: string): Promise<{ townships: Map<number, number>; departments: Map<number, number> }> {
	const rows = await executeRows<{ township: number | null; department: number | null; n: unknown }>(
		db,
		sql`select ${cases.townshipId} as township, ${cases.departmentId} as department, count(*) as n
			from ${supervisionOrders} join ${cases} on ${cases.id} = ${supervisionOrders.caseId}
			where ${cases.countyId} = ${countyId} and ${supervisionOrders.dueOn} between ${period.fromMonth}::date and ${monthEnd(period.toMonth)}::date
				and ((${supervisionOrders.answeredAt} is null and ${supervisionOrders.dueOn} < ${today}::date)
					or ((${supervisionOrders.answeredAt} at time zone 'UTC') + interval '8 hours')::date > ${supervisionOrders.dueOn})
			group by 1, 2`
	);
	const townships = new Map<number, number>();
	const departments = new Map<number, number>();
	for (const r of rows) {
		townships.set(r.township ?? 0, (townships.get(r.township ?? 0) ?? 0) + Number(r.n));
		if (r.department != null) departments.set(r.department, (departments.get(r.department) ?? 0) + Number(r.n));
	}
	return { townships, departments };
}

const n = (c: UnitCounts | undefined, dim: string, key: string) => c?.get(dim)?.get(key) ?? 0;
const share = (yes: number, all: number) => (all === 0 ? null : Math.round((yes / all) * 1000) / 10);

/** A unit's figures from its counts this period and the same period last year. */
export function figuresOf(c: UnitCounts | undefined, lastYear: UnitCounts | undefined, ordersOverdue: number): UnitFigures & { received: number } {
	const received = n(c, 'total', '');
	const ratings = [1, 2, 3, 4, 5].map((r) => n(c, 'rating', String(r)));
	const rated = (key: string) => n(c, key, 'true') + n(c, key, 'false');
	return {
		received,
		intake_change: received === 0 && n(lastYear, 'total', '') === 0 ? null : percentChange(received, n(lastYear, 'total', '')),
		accepted_on_time: share(n(c, 'accepted_on_time', 'true'), rated('accepted_on_time')),
		concluded_on_time: share(n(c, 'concluded_on_time', 'true'), rated('concluded_on_time')),
		first_resolved: share(n(c, 'first_resolved', 'true'), rated('first_resolved')),
		repeat_share: share(n(c, 'repeat', 'true'), received),
		beijing: n(c, 'escalated_to', 'beijing'),
		province: n(c, 'escalated_to', 'province'),
		orders_overdue: ordersOverdue,
		satisfaction: share(ratings[3] + ratings[4], ratings.reduce((a, b) => a + b, 0))
	};
}
