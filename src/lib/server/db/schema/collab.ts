import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

/**
 * A collaborative document's compacted state: the updates folded into `state` (a Yjs state update) are
 * deleted from `collab_updates` in the same transaction; `foldedThrough` is the highest id folded, kept
 * for operators. Rows left in the log are read on every load whatever their id (persistence.ts).
 */
export const collabDocuments = pgTable('collab_documents', {
	name: varchar('name', { length: 120 }).primaryKey(),
	state: bytea('state'),
	foldedThrough: bigint('folded_through', { mode: 'number' }).notNull().default(0),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`)
});

/** The append-only log of Yjs updates since the last compaction, in arrival order. */
export const collabUpdates = pgTable(
	'collab_updates',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		docName: varchar('doc_name', { length: 120 }).notNull(),
		data: bytea('data').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('collab_updates_doc_idx').on(t.docName, t.id)]
);
