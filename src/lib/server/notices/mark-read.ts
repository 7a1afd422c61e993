import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { notices } from '../db/schema';
import { AppError } from '../errors';
import { noticePath } from './notice-text';

export interface MarkNoticeReadOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Marks one of the viewer's own notices read and says where it leads. Someone else's notice, or a
 * malformed id, is `not_found` (the same answer as a missing one, so ids reveal nothing).
 */
export async function markNoticeRead(db: Db, viewer: Viewer, rawId: unknown, options: MarkNoticeReadOptions = {}): Promise<{ path: string }> {
	const { now = new Date() } = options;
	const id = Number(rawId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	const [notice] = await db
		.select({ id: notices.id, caseId: notices.caseId, kind: notices.kind, payload: notices.payload, readAt: notices.readAt })
		.from(notices)
		.where(and(eq(notices.id, id), eq(notices.userId, viewer.id)))
		.limit(1);
	if (!notice) throw new AppError('not_found');
	if (notice.readAt === null) {
		await db
			.update(notices)
			.set({ readAt: now })
			.where(and(eq(notices.id, id), eq(notices.userId, viewer.id), isNull(notices.readAt)));
	}
	return { path: noticePath(notice.kind, notice.caseId, notice.payload) };
}

export interface MarkAllReadOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** "全部标为已读": only the viewer's own. Returns how many changed. */
export async function markAllRead(db: Db, viewer: Viewer, options: MarkAllReadOptions = {}): Promise<number> {
	const { now = new Date() } = options;
	const rows = await db
		.update(notices)
		.set({ readAt: now })
		.where(and(eq(notices.userId, viewer.id), isNull(notices.readAt)))
		.returning({ id: notices.id });
	return rows.length;
}

export interface MarkCaseNoticesReadOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** Marks the viewer's unread notices of one kind about one case read (after acting on them elsewhere). */
export async function markCaseNoticesRead(db: Db, viewerId: number, caseId: number, kind: 'panel_invited', options: MarkCaseNoticesReadOptions = {}): Promise<void> {
	const { now = new Date() } = options;
	await db
		.update(notices)
		.set({ readAt: now })
		.where(and(eq(notices.userId, viewerId), eq(notices.caseId, caseId), eq(notices.kind, kind), isNull(notices.readAt)));
}
