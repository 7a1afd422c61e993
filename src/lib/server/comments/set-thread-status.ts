import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { commentEntries, commentThreads } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { mayChangeStatus, nextStatus, statusInput } from './rules';
import { authoriseCommentWrite, type CommentContext } from './write-comment';

/**
 * Resolves or reopens a thread. The thread's author and the people who run or edit the document may;
 * anyone else who reads it is refused. The status changes only from the state it was read in (a
 * conditional update), so two people resolving at once make one entry, and the second is told.
 */
export async function setThreadStatus(
	db: Db,
	actor: Viewer,
	docName: string,
	intent: 'resolve' | 'reopen',
	raw: unknown,
	ctx: CommentContext = {}
): Promise<{ status: 'open' | 'resolved' }> {
	const scope = await authoriseCommentWrite(db, actor, docName);
	const input = parseInput(statusInput, raw);
	const [thread] = await db
		.select({ id: commentThreads.id, status: commentThreads.status, createdBy: commentThreads.createdBy })
		.from(commentThreads)
		.where(and(eq(commentThreads.id, input.threadId), eq(commentThreads.docName, scope.docName)))
		.limit(1);
	if (!thread) throw new AppError('not_found');
	if (!mayChangeStatus({ id: actor.id, moderates: scope.moderates }, thread)) throw new AppError('forbidden', { _: 'cm_err_not_yours' });
	const target = nextStatus(thread.status, intent);
	if (!target) throw new AppError('conflict', { _: intent === 'resolve' ? 'cm_err_already_resolved' : 'cm_err_already_open' });
	const now = ctx.now ?? new Date();
	await db.transaction(async (tx) => {
		const changed = await tx
			.update(commentThreads)
			.set({ status: target, updatedAt: now })
			.where(and(eq(commentThreads.id, thread.id), eq(commentThreads.status, thread.status)))
			.returning({ id: commentThreads.id });
		if (changed.length === 0) throw new AppError('conflict', { _: intent === 'resolve' ? 'cm_err_already_resolved' : 'cm_err_already_open' });
		const [entry] = await tx
			.insert(commentEntries)
			.values({ threadId: thread.id, kind: intent, authorId: actor.id, createdAt: now })
			.returning({ id: commentEntries.id });
		await recordAudit(tx, {
			action: intent === 'resolve' ? 'comment.resolve' : 'comment.reopen',
			actorId: actor.id,
			subjectType: 'document',
			subjectId: scope.docName,
			ip: ctx.ip ?? null,
			data: { docName: scope.docName, threadId: thread.id, entryId: entry.id }
		});
	});
	return { status: target };
}
