import { and, asc, between, count, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import { addDays, shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases } from '../db/schema';
import { assertSupervisor, caseRowColumns, categoryJoin, placeJoin, toSupervisedCase, type SupervisedCase } from './case-row';
import { countRepeatGroups } from './list-repeat-groups';
import { CLOSED_STATUSES, DUE_SOON_DAYS, PAGE_SIZE } from './rules';

export type DeadlineList = 'overdue' | 'due_soon' | 'stalled';

export interface ListCounts {
	overdue: number;
	due_soon: number;
	stalled: number;
	/** Groups of repeated matters, not cases. */
	repeat: number;
}

export interface CaseListPage {
	rows: SupervisedCase[];
	total: number;
	page: number;
	pageSize: number;
}

const DAY_MS = 86_400_000;

/**
 * The conditions of the three deadline lists, for a given moment. Overdue and due soon read the
 * stored next statutory due date (a Shanghai date kept by the clocks at every transition), so the
 * list filters on an index instead of recomputing every case; stalled reads the last activity.
 */
function conditions(now: Date, stalledDays: number): Record<DeadlineList, SQL> {
	const today = shanghaiDate(now);
	return {
		overdue: lt(cases.nextDueOn, today),
		due_soon: between(cases.nextDueOn, today, addDays(today, DUE_SOON_DAYS)),
		stalled: and(notInArray(cases.status, [...CLOSED_STATUSES]), lt(cases.lastActivityAt, new Date(now.getTime() - stalledDays * DAY_MS)))!
	};
}

const ORDER: Record<DeadlineList, SQL[]> = {
	// Longest overdue first, then the one idle longest.
	overdue: [asc(cases.nextDueOn), asc(cases.lastActivityAt)],
	due_soon: [asc(cases.nextDueOn), asc(cases.lastActivityAt)],
	stalled: [asc(cases.lastActivityAt)]
};

export interface ListSupervisedCasesOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** One page of overdue, due-soon or stalled matters in the supervisor's scope. */
export async function listSupervisedCases(
	db: Db,
	actor: Viewer,
	query: { list: DeadlineList; page: number; stalledDays: number }, options: ListSupervisedCasesOptions = {}
): Promise<CaseListPage> {
	const { now = new Date() } = options;
	assertSupervisor(actor);
	const where = and(caseVisibility(actor), conditions(now, query.stalledDays)[query.list]);
	const [rows, [{ total }]] = await Promise.all([
		db
			.select(caseRowColumns)
			.from(cases)
			.innerJoin(...placeJoin)
			.innerJoin(...categoryJoin)
			.where(where)
			.orderBy(...ORDER[query.list], asc(cases.id))
			.limit(PAGE_SIZE)
			.offset((query.page - 1) * PAGE_SIZE),
		db.select({ total: count() }).from(cases).where(where)
	]);
	const today = shanghaiDate(now);
	return { rows: rows.map((r) => toSupervisedCase(r, today, now)), total, page: query.page, pageSize: PAGE_SIZE };
}

export interface CountSupervisedCasesOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** How many matters each list holds, for the tabs: one pass over the scope for the three deadline lists. */
export async function countSupervisedCases(db: Db, actor: Viewer, stalledDays: number, options: CountSupervisedCasesOptions = {}): Promise<ListCounts> {
	const { now = new Date() } = options;
	assertSupervisor(actor);
	const c = conditions(now, stalledDays);
	const filtered = (cond: SQL) => sql<number>`count(*) filter (where ${cond})`.mapWith(Number);
	const [[row], repeat] = await Promise.all([
		db
			.select({ overdue: filtered(c.overdue), due_soon: filtered(c.due_soon), stalled: filtered(c.stalled) })
			.from(cases)
			.where(caseVisibility(actor)),
		countRepeatGroups(db, actor)
	]);
	return { ...row, repeat };
}
