import type { Viewer } from '../../types';
import type { Db } from '../db';
import { commentThreads } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { commentableField, openThreadInput } from './rules';
import { authoriseCommentWrite, checkMentions, insertComment, type CommentContext } from './write-comment';

/**
 * Opens a comment thread on a passage of a record or an agreement draft. Anyone who may read the
 * document may (parties too); the anchor is kept as the browser made it (relative positions and the
 * quoted passage, shared/comment-anchor.ts) and is only ever read back to place the thread.
 */
export async function openThread(db: Db, actor: Viewer, docName: string, raw: unknown, ctx: CommentContext = {}): Promise<{ threadId: number }> {
	const scope = await authoriseCommentWrite(db, actor, docName);
	const input = parseInput(openThreadInput, raw);
	if (!commentableField(scope.kind, input.field)) throw new AppError('invalid', { _: 'cm_err_anchor' });
	const mentions = await checkMentions(db, scope.caseId, input.mentions);
	const now = ctx.now ?? new Date();
	const threadId = await db.transaction(async (tx) => {
		const [thread] = await tx
			.insert(commentThreads)
			.values({
				caseId: scope.caseId,
				docName: scope.docName,
				field: input.field,
				anchorFrom: input.from,
				anchorTo: input.to,
				quote: input.quote,
				createdBy: actor.id,
				createdAt: now,
				updatedAt: now
			})
			.returning({ id: commentThreads.id });
		await insertComment(tx, scope, actor, { threadId: thread.id, body: input.body, mentions, action: 'comment.open' }, { ...ctx, now });
		return thread.id;
	});
	return { threadId };
}
