import { asc, eq, inArray } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { CommentAnchor } from '../../shared/comment-anchor';
import type { CollabServer } from '../collab/api';
import { directDocument } from '../collab/direct-document';
import type { Db } from '../db';
import { commentEntries, commentThreads, users } from '../db/schema';
import { commentScope } from './comment-scope';
import { mentionCandidates, type MentionCandidate } from './mention-candidates';
import { reanchorThreads } from './reanchor-threads';
import { mayChangeStatus } from './rules';

/** One entry of a thread as the comment panel shows it. */
export interface CommentEntryView {
	id: number;
	kind: 'comment' | 'resolve' | 'reopen';
	author: MentionCandidate;
	body: string;
	mentions: MentionCandidate[];
	createdAt: Date;
}

/** A thread with its anchor and entries, oldest entry first. */
export interface CommentThreadView {
	id: number;
	anchor: CommentAnchor;
	status: 'open' | 'resolved';
	createdBy: number;
	createdAt: Date;
	/** Whether the viewer may resolve or reopen it. */
	mayChangeStatus: boolean;
	entries: CommentEntryView[];
}

/** What the comment panel loads: the threads of one document, and whom a comment may mention. */
export interface CommentsView {
	threads: CommentThreadView[];
	people: MentionCandidate[];
}

/**
 * The threads of a document the viewer may read (else `not_found`), oldest first. With threads to
 * show, the document is read as it is now and any thread found again only by its quote is given
 * fresh positions first (reanchor-threads.ts), so the anchors sent are ones that follow the text.
 */
export async function listThreads(
	db: Db,
	viewer: Viewer,
	docName: string,
	options: { collab?: CollabServer | null; ip?: string | null } = {}
): Promise<CommentsView> {
	const scope = await commentScope(db, viewer, docName);
	const stored = await db
		.select()
		.from(commentThreads)
		.where(eq(commentThreads.docName, scope.docName))
		.orderBy(asc(commentThreads.createdAt), asc(commentThreads.id));
	const people = await mentionCandidates(db, scope.caseId);
	if (stored.length === 0) return { threads: [], people };
	const doc = await directDocument(db, options.collab, scope.docName).read();
	let threads: typeof stored;
	try {
		threads = await reanchorThreads(db, scope.docName, doc, stored, { actorId: viewer.id, ip: options.ip, cause: 'list' });
	} finally {
		doc.destroy();
	}
	const entries = await db
		.select({
			id: commentEntries.id,
			threadId: commentEntries.threadId,
			kind: commentEntries.kind,
			authorId: commentEntries.authorId,
			authorName: users.name,
			body: commentEntries.body,
			mentions: commentEntries.mentions,
			createdAt: commentEntries.createdAt
		})
		.from(commentEntries)
		.innerJoin(users, eq(users.id, commentEntries.authorId))
		.where(
			inArray(
				commentEntries.threadId,
				threads.map((t) => t.id)
			)
		)
		.orderBy(asc(commentEntries.id));
	const names = await namesOf(db, people, entries.flatMap((e) => e.mentions));
	return {
		people,
		threads: threads.map((t) => ({
			id: t.id,
			anchor: { field: t.field, from: t.anchorFrom, to: t.anchorTo, quote: t.quote },
			status: t.status,
			createdBy: t.createdBy,
			createdAt: t.createdAt,
			mayChangeStatus: mayChangeStatus({ id: viewer.id, moderates: scope.moderates }, t),
			entries: entries
				.filter((e) => e.threadId === t.id)
				.map((e) => ({
					id: e.id,
					kind: e.kind,
					author: { id: e.authorId, name: e.authorName },
					body: e.body,
					mentions: e.mentions.map((id) => ({ id, name: names.get(id) ?? '' })),
					createdAt: e.createdAt
				}))
		}))
	};
}

/** Names of mentioned people; someone since taken off the case is still named in old comments. */
async function namesOf(db: Db, known: MentionCandidate[], ids: number[]): Promise<Map<number, string>> {
	const names = new Map(known.map((p) => [p.id, p.name]));
	const missing = [...new Set(ids)].filter((id) => !names.has(id));
	if (missing.length > 0) for (const u of await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, missing))) names.set(u.id, u.name);
	return names;
}
