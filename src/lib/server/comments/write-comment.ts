import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, RateLimitedError } from '../auth/rate-limit';
import type { Db, Tx } from '../db';
import { commentEntries, commentThreads, notices } from '../db/schema';
import { AppError } from '../errors';
import { commentScope, type CommentScope } from './comment-scope';
import { mentionCandidates } from './mention-candidates';
import { COMMENT_WRITES } from './rules';

/** Who writes, from where, and when (the clock is passed in so tests may fix it). */
export interface CommentContext {
	ip?: string | null;
	now?: Date;
}

/**
 * The steps every comment write shares, in the order of a use case: the account's budget is counted
 * first (one atomic upsert, so parallel requests cannot slip past), then the document is looked up
 * only among those the actor may read; `null` scope means "not found" to the caller.
 */
export async function authoriseCommentWrite(db: Db, actor: Viewer, docName: string): Promise<CommentScope> {
	const taken = await dbRateLimiter(db, COMMENT_WRITES).take(`user:${actor.id}`);
	if (!taken.ok) throw new RateLimitedError(taken.retryAfterMs, { _: 'cm_err_busy' });
	return commentScope(db, actor, docName);
}

/** Mentions must name people on the case; anyone else is refused rather than silently dropped. */
export async function checkMentions(db: Db, caseId: number, ids: number[]): Promise<number[]> {
	if (ids.length === 0) return [];
	const allowed = new Set((await mentionCandidates(db, caseId)).map((c) => c.id));
	if (ids.some((id) => !allowed.has(id))) throw new AppError('invalid', { mentions: 'cm_err_mention_outside' });
	return ids;
}

/**
 * Adds one comment to a thread inside the caller's transaction, with its audit row and a notice on
 * the home page of each person it mentions (not the writer), all committed together or not at all.
 */
export async function insertComment(
	tx: Tx,
	scope: CommentScope,
	actor: Viewer,
	input: { threadId: number; body: string; mentions: number[]; action: 'comment.open' | 'comment.reply' },
	ctx: CommentContext
): Promise<number> {
	const now = ctx.now ?? new Date();
	const [entry] = await tx
		.insert(commentEntries)
		.values({ threadId: input.threadId, kind: 'comment', authorId: actor.id, body: input.body, mentions: input.mentions, createdAt: now })
		.returning({ id: commentEntries.id });
	await tx.update(commentThreads).set({ updatedAt: now }).where(eq(commentThreads.id, input.threadId));
	await recordAudit(tx, {
		action: input.action,
		actorId: actor.id,
		subjectType: 'document',
		subjectId: scope.docName,
		ip: ctx.ip ?? null,
		data: { docName: scope.docName, threadId: input.threadId, entryId: entry.id, bodySha256: sha256(input.body), mentions: input.mentions }
	});
	const told = input.mentions.filter((id) => id !== actor.id);
	if (told.length > 0) {
		// In the app only: a mention asks the person to read, which is not worth a text message.
		const payload = { caseNumber: scope.caseNumber, threadId: input.threadId, ...(scope.sessionId ? { sessionId: scope.sessionId } : {}) };
		await tx.insert(notices).values(told.map((userId) => ({ userId, caseId: scope.caseId, kind: 'comment_mention' as const, payload, createdAt: now })));
	}
	return entry.id;
}

function sha256(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}
