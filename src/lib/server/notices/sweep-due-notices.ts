import { and, eq, isNull, notExists, or, sql } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import type { Db, Tx } from '../db';
import { dbRateLimiter, type RateLimitRule } from '../auth/rate-limit';
import { agreements, agreementTerms, caseParties, cases, notices, returnVisits, type NoticePayload } from '../db/schema';
import type { Reminder } from '../outcomes/list-reminders';
import { noticePath, smsText, type NoticeKind } from './notice-text';
import { PendingTexts } from './pending-texts';

export interface SweepDueNoticesOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Sends the text messages (tests pass a fake). */
	sender?: SmsSender;
}

/**
 * Date-driven notices for the mediator who follows a case up: a term of an effective agreement falling
 * due (the home page's reminders, passed in), and a case in follow-up without a return visit yet.
 *
 * Nothing changes at the moment a date passes, so there is no transaction to write these in. Rather
 * than a background timer (which tests cannot drive and a single-process deployment may not run), the
 * sweep runs when the mediator's home page loads, with the reminders that page computes anyway; it is
 * idempotent: the unique index `notices_due_uq` keeps one notice per person, case, kind and due key,
 * and only the notices it actually added are texted. The party who owes a term falling due is told
 * too: in the app when the party has an account, and by one text per term and due date (a party
 * without an account has no notice row to keep it to one, so a once-only marker in `rate_limits`
 * does). Returns how many notices it added for the viewer.
 */
export async function sweepDueNotices(db: Db, viewer: Viewer, reminders: readonly Reminder[], options: SweepDueNoticesOptions = {}): Promise<number> {
	const { now = new Date(), sender = smsSender() } = options;
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
		await tellObligors(tx, due.filter((d) => d.kind === 'terms_due'), now, texts);
		return added.length;
	});
	await texts.send(db, now, sender);
	return count;
}

/** One text per party, term and due date, however often the sweep runs (the key's window outlives the date). */
const TERM_DUE_TEXT: RateLimitRule = { name: 'term-due-text', max: 1, windowMs: 60 * 86_400_000 };

async function tellObligors(tx: Tx, due: { caseId: number; payload: NoticePayload }[], now: Date, texts: PendingTexts): Promise<void> {
	for (const d of due) {
		// The term's obligor, or every party when the term binds them all (obligor null).
		const obligors = await tx
			.select({ partyId: caseParties.id, userId: caseParties.userId, phone: caseParties.phone })
			.from(agreementTerms)
			.innerJoin(agreements, eq(agreements.id, agreementTerms.agreementId))
			.innerJoin(caseParties, and(eq(caseParties.caseId, agreements.caseId), or(isNull(agreementTerms.obligorPartyId), eq(caseParties.id, agreementTerms.obligorPartyId))))
			.where(and(eq(agreements.caseId, d.caseId), eq(agreementTerms.seq, d.payload.seq ?? -1)));
		for (const o of obligors) {
			if (o.userId !== null) {
				await tx.insert(notices).values({ userId: o.userId, caseId: d.caseId, kind: 'terms_due', payload: d.payload, createdAt: now }).onConflictDoNothing();
			}
			if (o.phone && (await dbRateLimiter(tx, TERM_DUE_TEXT).consume(`${o.partyId}:${d.payload.due}`))) {
				texts.add({ phone: o.phone, caseId: d.caseId, ...smsText('terms_due', d.payload, `/cases/${d.caseId}/agreement`) });
			}
		}
	}
}
