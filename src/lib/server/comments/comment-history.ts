import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { commentEntries, commentThreads, users } from '../db/schema';

/** One line of a record's history about its comments: who commented on, answered, resolved or reopened what. */
export interface CommentHistoryItem {
	id: number;
	threadId: number;
	kind: 'open' | 'reply' | 'resolve' | 'reopen';
	by: string;
	quote: string;
	at: Date;
}

/**
 * The comment events of a document, newest first, for its version history. The caller has already
 * checked that the viewer may read the document (the record page's own load does).
 */
export async function commentHistory(db: Db, docName: string, limit = 50): Promise<CommentHistoryItem[]> {
	const rows = await db
		.select({
			id: commentEntries.id,
			threadId: commentThreads.id,
			entryKind: commentEntries.kind,
			by: users.name,
			quote: commentThreads.quote,
			at: commentEntries.createdAt,
			openedAt: commentThreads.createdAt,
			authorId: commentEntries.authorId,
			createdBy: commentThreads.createdBy
		})
		.from(commentEntries)
		.innerJoin(commentThreads, eq(commentThreads.id, commentEntries.threadId))
		.innerJoin(users, eq(users.id, commentEntries.authorId))
		.where(eq(commentThreads.docName, docName))
		.orderBy(desc(commentEntries.id))
		.limit(limit);
	// openThread writes the thread and its first comment with one timestamp, by one author.
	const opens = (r: (typeof rows)[number]) => r.authorId === r.createdBy && r.at.getTime() === r.openedAt.getTime();
	return rows.map((r) => ({
		id: r.id,
		threadId: r.threadId,
		kind: r.entryKind === 'comment' ? (opens(r) ? 'open' : 'reply') : r.entryKind,
		by: r.by,
		quote: r.quote,
		at: r.at
	}));
}
