import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgEnum, pgTable, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { cases } from './cases';
import { users } from './people';

/** What a notice asks of its recipient; the wording is chosen by kind on screen and in the SMS. */
export const NOTICE_KINDS = [
	'panel_invited',
	'session_scheduled',
	'session_cancelled',
	'agreement_ready',
	'signing_requested',
	'terms_due',
	'return_visit_due',
	'comment_mention'
] as const;
export const noticeKind = pgEnum('notice_kind', NOTICE_KINDS);

/**
 * A notice to one person with an account: "someone must act". Written in the same transaction as the
 * change that causes it, so a change rolled back leaves no notice behind. Only the recipient reads or
 * marks it; `payload` holds the few words the text needs (a session's time, a case number), never
 * personal data of others.
 */
export const notices = pgTable(
	'notices',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		kind: noticeKind('kind').notNull(),
		payload: jsonb('payload').$type<NoticePayload>().notNull().default({}),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	// The header's unread count on every page reads (user_id, read_at is null) only.
	(t) => [
		index('notices_user_read_idx').on(t.userId, t.readAt),
		index('notices_case_idx').on(t.caseId),
		// A date-driven notice (a term falling due, a return visit) is written once per person and due
		// date however often the sweep runs: the sweep inserts and lets this index drop repeats.
		uniqueIndex('notices_due_uq')
			.on(t.userId, t.caseId, t.kind, sql`(${t.payload}->>'due')`)
			.where(sql`(${t.payload}->>'due') is not null`)
	]
);

export interface NoticePayload {
	caseNumber?: string;
	sessionId?: number;
	seq?: number;
	/** ISO time of the session. */
	at?: string;
	/** A date-driven notice's key (the due date), so a sweep writes it once. */
	due?: string;
	/** A mention in a comment: the thread, and where its document is (a record's session, else the agreement). */
	threadId?: number;
}

export type Notice = typeof notices.$inferSelect;
