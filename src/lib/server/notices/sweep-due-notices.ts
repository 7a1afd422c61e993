import { and, eq, notExists, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { smsSender, type SmsSender } from '../agreements/sms-sender';
import type { Db } from '../db';
import { cases, notices, returnVisits, type NoticePayload } from '../db/schema';
import type { Reminder } from '../outcomes/list-reminders';
import { noticePath, smsText, type NoticeKind } from './notice-text';
import { PendingTexts } from './pending-texts';

/**
 * Date-driven notices for the mediator who follows a case up: a term of an effective agreement falling
 * due (the home page's reminders, passed in), and a case in follow-up without a return visit yet.
 *
 * Nothing changes at the moment a date passes, so there is no transaction to write these in. Rather
 * than a background timer (which tests cannot drive and a single-process deployment may not run), the
 * sweep runs when the mediator's home page loads, with the reminders that page computes anyway; it is
 * idempotent: the unique index `notices_due_uq` keeps one notice per person, case, kind and due key,
 * and only the notices it actually added are texted. Returns how many it added.
 */
export async function sweepDueNotices(db: Db, viewer: Viewer, reminders: readonly Reminder[], now = new Date(), sender: SmsSender = smsSender()): Promise<number> {
	const due: { caseId: number; kind: NoticeKind; payload: NoticePayload }[] = reminders
		.filter((r) => r.kind === 'term')
		.map((r) => ({ caseId: r.caseId, kind: 'terms_due', payload: { caseNumber: r.caseNumber, seq: r.seq ?? undefined, due: `${r.seq}:${r.dueOn}` } }));
	const unvisited = await db
		.select({ caseId: cases.id, caseNumber: cases.number })
		.from(cases)
		.where(
			and(
				eq(cases.mediatorId, viewer.id),
				eq(cases.status, 'follow_up'),
				notExists(db.select({ one: sql`1` }).from(returnVisits).where(eq(returnVisits.caseId, cases.id)))
			)
		)
		.limit(100);
	for (const c of unvisited) due.push({ caseId: c.caseId, kind: 'return_visit_due', payload: { caseNumber: c.caseNumber, due: 'follow_up' } });
	if (due.length === 0) return 0;

	const texts = new PendingTexts();
	const count = await db.transaction(async (tx) => {
		const added = await tx
			.insert(notices)
			.values(due.map((d) => ({ userId: viewer.id, caseId: d.caseId, kind: d.kind, payload: d.payload, createdAt: now })))
			.onConflictDoNothing()
			.returning({ caseId: notices.caseId, kind: notices.kind, payload: notices.payload });
		if (viewer.phone) {
			for (const n of added) {
				texts.add({ phone: viewer.phone, caseId: n.caseId, ...smsText(n.kind, n.payload, noticePath(n.kind, n.caseId, n.payload)) });
			}
		}
		return added.length;
	});
	await texts.send(db, now, sender);
	return count;
}
