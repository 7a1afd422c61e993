import { eq, sql } from 'drizzle-orm';
import { loadSnapshot } from '../../src/lib/server/cases/work/case-snapshot';
import { storedDueDates } from '../../src/lib/server/cases/work/stored-due-dates';
import type { Db } from '../../src/lib/server/db';
import { caseEvents, cases } from '../../src/lib/server/db/schema';

const DAY_MS = 86_400_000;

/**
 * Lets `days` days pass for one case, for tests that need a matter to be late without waiting or
 * giving the app a fake clock: every instant the case and its timeline hold (registered, accepted,
 * routed, concluded, reviewed, last activity, each timeline step) moves back by that many days, and
 * the stored due dates are computed again by the app's own clocks from the moved dates, exactly as a
 * transition stores them. The result is the case as it would stand had it all happened `days` ago.
 * The audit log is left alone: it is append-only and records when each action really happened.
 */
export async function ageCase(db: Db, number: string, days: number): Promise<void> {
	const back = (d: Date | null) => (d ? new Date(d.getTime() - days * DAY_MS) : null);
	await db.transaction(async (tx) => {
		const [row] = await tx.select().from(cases).where(eq(cases.number, number)).limit(1);
		if (!row) throw new Error(`no case ${number}`);
		await tx
			.update(caseEvents)
			.set({ at: sql`${caseEvents.at} - make_interval(days => ${days}::int)` })
			.where(eq(caseEvents.caseId, row.id));
		const moved = {
			...row,
			registeredAt: back(row.registeredAt)!,
			acceptedAt: back(row.acceptedAt),
			assignedAt: back(row.assignedAt),
			concludedAt: back(row.concludedAt),
			archivedAt: back(row.archivedAt),
			reviewRequestedAt: back(row.reviewRequestedAt),
			reviewAnsweredAt: back(row.reviewAnsweredAt),
			reReviewRequestedAt: back(row.reReviewRequestedAt),
			reReviewAnsweredAt: back(row.reReviewAnsweredAt),
			lastActivityAt: back(row.lastActivityAt)!
		};
		const { id: _id, ...columns } = moved;
		await tx
			.update(cases)
			.set({ ...columns, ...storedDueDates(await loadSnapshot(tx, moved)) })
			.where(eq(cases.id, row.id));
	});
}
