import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { addDays, shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { agreements, agreementTerms, cases, termPerformance } from '../db/schema';
import { CONFIRMATION_DAYS, REMIND_DAYS, termState, type TermState } from './follow-up-rules';

export interface Reminder {
	caseId: number;
	caseNumber: string;
	/** A term to follow up (overdue, or due within the reminder days), or art. 33's window closing. */
	kind: 'term' | 'confirmation';
	seq: number | null;
	what: string | null;
	/** The term's due date, or the last day to ask for judicial confirmation. */
	dueOn: string;
	state: TermState | 'closing';
}

export interface ListRemindersOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The mediator's home-page reminders (人民调解法 arts. 31, 33): pending terms of effective agreements
 * in the cases assigned to them that are overdue or due within a week, and confirmation windows that
 * close within a week. A term counts as pending unless its latest statement says it was performed.
 */
export async function listReminders(db: Db, viewer: Viewer, options: ListRemindersOptions = {}): Promise<Reminder[]> {
	const { now = new Date() } = options;
	const today = shanghaiDate(now);
	const horizon = addDays(today, REMIND_DAYS);
	const latestDone = sql<boolean>`coalesce((select ${termPerformance.done} from ${termPerformance} where ${termPerformance.termId} = ${agreementTerms.id} order by ${termPerformance.recordedAt} desc, ${termPerformance.id} desc limit 1), false)`;
	const [termRows, windowRows] = await Promise.all([
		db
			.select({ caseId: cases.id, caseNumber: cases.number, seq: agreementTerms.seq, what: agreementTerms.what, dueOn: agreementTerms.dueOn, done: latestDone })
			.from(agreementTerms)
			.innerJoin(agreements, eq(agreements.id, agreementTerms.agreementId))
			.innerJoin(cases, eq(cases.id, agreements.caseId))
			.where(and(eq(cases.mediatorId, viewer.id), eq(agreements.status, 'effective'), isNotNull(agreementTerms.dueOn), lte(agreementTerms.dueOn, horizon)))
			.orderBy(asc(agreementTerms.dueOn), asc(cases.id), asc(agreementTerms.seq))
			.limit(100),
		db
			.select({ caseId: cases.id, caseNumber: cases.number, effectiveOn: agreements.effectiveOn })
			.from(agreements)
			.innerJoin(cases, eq(cases.id, agreements.caseId))
			.where(
				and(
					eq(cases.mediatorId, viewer.id),
					eq(agreements.status, 'effective'),
					sql`${agreements.effectiveOn} between ${addDays(today, -CONFIRMATION_DAYS)} and ${addDays(horizon, -CONFIRMATION_DAYS)}`
				)
			)
	]);
	const terms: Reminder[] = termRows
		.filter((r) => !r.done)
		.map((r) => ({ caseId: r.caseId, caseNumber: r.caseNumber, kind: 'term', seq: r.seq, what: r.what, dueOn: r.dueOn!, state: termState({ done: false, dueOn: r.dueOn }, today) }));
	const windows: Reminder[] = windowRows.map((r) => ({
		caseId: r.caseId,
		caseNumber: r.caseNumber,
		kind: 'confirmation',
		seq: null,
		what: null,
		dueOn: addDays(r.effectiveOn!, CONFIRMATION_DAYS),
		state: 'closing'
	}));
	return [...terms, ...windows].sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}
