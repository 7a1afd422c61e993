import { bigint, index, integer, jsonb, pgEnum, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { COMMENT_ENTRY_KINDS, COMMENT_THREAD_STATUSES } from '../../../enums';
import { cases } from './cases';
import { users } from './people';

export const commentThreadStatus = pgEnum('comment_thread_status', COMMENT_THREAD_STATUSES);

export const commentEntryKind = pgEnum('comment_entry_kind', COMMENT_ENTRY_KINDS);

/**
 * A comment thread on a passage of a collaborative document (a session's record `record:<id>` or an
 * agreement's draft text `agreement:<caseId>`). The passage is anchored by two Yjs relative positions
 * (`Y.encodeRelativePosition`, base64) inside the document's field, which follow the text through
 * concurrent and offline edits; `quote` is the passage as it read when commented on, used to find it
 * again when a restore replaced the text the positions pointed into. Threads live in the database, never
 * in the shared document, so they never enter the frozen agreement text.
 */
export const commentThreads = pgTable(
	'comment_threads',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		docName: varchar('doc_name', { length: 120 }).notNull(),
		/** The Y.XmlFragment of the document the passage is in (the record's body, an agreement field). */
		field: varchar('field', { length: 60 }).notNull(),
		anchorFrom: varchar('anchor_from', { length: 200 }).notNull(),
		anchorTo: varchar('anchor_to', { length: 200 }).notNull(),
		quote: varchar('quote', { length: 500 }).notNull(),
		status: commentThreadStatus('status').notNull().default('open'),
		createdBy: integer('created_by')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('comment_threads_doc_idx').on(t.docName, t.createdAt)]
);

/** One entry of a thread: a comment with the people it mentions, or a resolve/reopen. */
export const commentEntries = pgTable(
	'comment_entries',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		threadId: bigint('thread_id', { mode: 'number' })
			.notNull()
			.references(() => commentThreads.id, { onDelete: 'cascade' }),
		kind: commentEntryKind('kind').notNull().default('comment'),
		authorId: integer('author_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		body: text('body').notNull().default(''),
		/** Ids of the people on the case the comment mentions (each told on their home page). */
		mentions: jsonb('mentions').$type<number[]>().notNull().default([]),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('comment_entries_thread_idx').on(t.threadId, t.id)]
);

export type CommentThreadRow = typeof commentThreads.$inferSelect;
export type CommentEntryRow = typeof commentEntries.$inferSelect;
