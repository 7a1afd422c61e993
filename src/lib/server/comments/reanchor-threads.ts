import { and, asc, eq } from 'drizzle-orm';
import type * as Y from 'yjs';
import { createAnchor, resolveAnchor } from '../../shared/comment-anchor';
import { recordAudit } from '../audit/record-audit';
import type { CollabServer } from '../collab/api';
import { directDocument } from '../collab/direct-document';
import type { Db } from '../db';
import { commentThreads } from '../db/schema';

/** The columns of a thread that place it. */
export interface ThreadAnchorRow {
	id: number;
	field: string;
	anchorFrom: string;
	anchorTo: string;
	quote: string;
}

/** Who asked for the work that found the threads, and why it ran (kept in the audit row). */
export interface ReanchorContext {
	actorId: number | null;
	ip?: string | null;
	cause: 'list' | 'restore';
}

/**
 * Makes a re-attachment durable. A thread whose positions point into deleted text (a version restore
 * copies the text in as new items) is found again by its quote only at read time, and only while the
 * quote reads exactly so: the next edit of those words would lose it. Here each such thread gets fresh
 * relative positions in the text that is there now, so from then on it follows edits like any other.
 *
 * Each rewrite is a conditional update on the anchor it replaces, with its audit row in the same
 * transaction: two listings at once, or a listing racing a restore, write it once, and a thread
 * whose anchor changed meanwhile is left for the next reader. Two servers reading the same document
 * compute the same positions (they name the same Yjs items), so the loser's view is the winner's.
 *
 * Returns the threads with the anchors they have after (unchanged ones as they were).
 */
export async function reanchorThreads<T extends ThreadAnchorRow>(db: Db, docName: string, doc: Y.Doc, threads: T[], ctx: ReanchorContext): Promise<T[]> {
	const out: T[] = [];
	for (const thread of threads) {
		const anchor = { field: thread.field, from: thread.anchorFrom, to: thread.anchorTo, quote: thread.quote };
		const found = resolveAnchor(doc, anchor);
		const fresh = found.status === 'reattached' ? createAnchor(doc, thread.field, found.from, found.to) : null;
		if (!fresh) {
			out.push(thread);
			continue;
		}
		await db.transaction(async (tx) => {
			const changed = await tx
				.update(commentThreads)
				.set({ anchorFrom: fresh.from, anchorTo: fresh.to })
				.where(and(eq(commentThreads.id, thread.id), eq(commentThreads.anchorFrom, thread.anchorFrom), eq(commentThreads.anchorTo, thread.anchorTo)))
				.returning({ id: commentThreads.id });
			if (changed.length === 0) return;
			await recordAudit(tx, {
				action: 'comment.reanchor',
				actorId: ctx.actorId,
				subjectType: 'document',
				subjectId: docName,
				ip: ctx.ip ?? null,
				data: { docName, threadId: thread.id, cause: ctx.cause, previous: { from: thread.anchorFrom, to: thread.anchorTo }, from: fresh.from, to: fresh.to }
			});
		});
		out.push({ ...thread, anchorFrom: fresh.from, anchorTo: fresh.to });
	}
	return out;
}

/**
 * Reads a document as it is now (through the collaboration server when one runs, so the last
 * keystrokes count) and re-anchors its threads that were found again by their quote.
 */
export async function reanchorDocument(db: Db, collab: CollabServer | null | undefined, docName: string, ctx: ReanchorContext): Promise<void> {
	const threads = await db
		.select({ id: commentThreads.id, field: commentThreads.field, anchorFrom: commentThreads.anchorFrom, anchorTo: commentThreads.anchorTo, quote: commentThreads.quote })
		.from(commentThreads)
		.where(eq(commentThreads.docName, docName))
		.orderBy(asc(commentThreads.id));
	if (threads.length === 0) return;
	const doc = await directDocument(db, collab, docName).read();
	try {
		await reanchorThreads(db, docName, doc, threads, ctx);
	} finally {
		doc.destroy();
	}
}
