import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { commentThreads } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { replyInput } from './rules';
import { authoriseCommentWrite, checkMentions, insertComment, type CommentContext } from './write-comment';

/** Replies to a thread of a document the actor may read; a resolved thread takes replies too. */
export async function replyToThread(db: Db, actor: Viewer, docName: string, raw: unknown, ctx: CommentContext = {}): Promise<{ entryId: number }> {
	const scope = await authoriseCommentWrite(db, actor, docName);
	const input = parseInput(replyInput, raw);
	const [thread] = await db
		.select({ id: commentThreads.id })
		.from(commentThreads)
		.where(and(eq(commentThreads.id, input.threadId), eq(commentThreads.docName, scope.docName)))
		.limit(1);
	// A thread of another document is "not found", whoever may read that one.
	if (!thread) throw new AppError('not_found');
	const mentions = await checkMentions(db, scope.caseId, input.mentions);
	const entryId = await db.transaction((tx) => insertComment(tx, scope, actor, { threadId: thread.id, body: input.body, mentions, action: 'comment.reply' }, ctx));
	return { entryId };
}
