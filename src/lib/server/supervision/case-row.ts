import { and, count, eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { dueState, type DueState } from '../cases/clocks';
import type { CaseStatus } from '../cases/states';
import { caseCategories, cases, places, supervisionOrders } from '../db/schema';
import { AppError } from '../errors';
import { DUE_SOON_DAYS } from './rules';

/** One matter as the supervisor's lists show it. */
export interface SupervisedCase {
	id: number;
	number: string;
	title: string;
	status: CaseStatus;
	/** The place handling it now. */
	placeName: string;
	category: { zh: string; en: string };
	nextDueOn: string | null;
	dueState: DueState | null;
	lastActivityAt: Date;
	/** Whole days since the last activity. */
	idleDays: number;
	isRepeat: boolean;
	/** Supervision orders on it still waiting for an answer. */
	openOrders: number;
}

const DAY_MS = 86_400_000;

/** The columns behind `SupervisedCase`; select from `cases` joined with `caseRowJoins`. */
export const caseRowColumns = {
	id: cases.id,
	number: cases.number,
	title: cases.title,
	status: cases.status,
	placeName: places.name,
	categoryZh: caseCategories.nameZh,
	categoryEn: caseCategories.nameEn,
	nextDueOn: cases.nextDueOn,
	lastActivityAt: cases.lastActivityAt,
	isRepeat: cases.isRepeat,
	openOrders: sql<number>`(select ${count()} from ${supervisionOrders} where ${and(eq(supervisionOrders.caseId, cases.id), eq(supervisionOrders.status, 'open'))})`.mapWith(Number)
};

/** A row as selected with `caseRowColumns`. */
export interface CaseRowRecord {
	id: number;
	number: string;
	title: string;
	status: CaseStatus;
	placeName: string;
	categoryZh: string;
	categoryEn: string;
	nextDueOn: string | null;
	lastActivityAt: Date;
	isRepeat: boolean;
	openOrders: number;
}

export function toSupervisedCase(r: CaseRowRecord, today: string, now: Date): SupervisedCase {
	return {
		id: r.id,
		number: r.number,
		title: r.title,
		status: r.status,
		placeName: r.placeName,
		category: { zh: r.categoryZh, en: r.categoryEn },
		nextDueOn: r.nextDueOn,
		dueState: r.nextDueOn ? dueState(r.nextDueOn, today, DUE_SOON_DAYS) : null,
		lastActivityAt: r.lastActivityAt,
		idleDays: Math.max(0, Math.floor((now.getTime() - r.lastActivityAt.getTime()) / DAY_MS)),
		isRepeat: r.isRepeat,
		openOrders: r.openOrders
	};
}

/** Joins that `caseRowColumns` reads from, as `.innerJoin` arguments. */
export const placeJoin = [places, eq(places.id, cases.placeId)] as const;
export const categoryJoin = [caseCategories, eq(caseCategories.id, cases.categoryId)] as const;

/** The lists are the supervisor's tool; other roles are refused before any query. */
export function assertSupervisor(actor: Viewer): void {
	if (!actor.roles.some((r) => r.role === 'supervisor')) throw new AppError('forbidden');
}
