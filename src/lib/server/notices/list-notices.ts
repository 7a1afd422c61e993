import { and, desc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import type { Db } from '../db';
import { cases, notices, type NoticePayload } from '../db/schema';
import { noticePath, type NoticeKind } from './notice-text';

export interface NoticeItem {
	id: number;
	caseId: number;
	caseNumber: string;
	caseTitle: string;
	kind: NoticeKind;
	payload: NoticePayload;
	createdAt: Date;
	read: boolean;
	/** Where the notice leads once opened. */
	path: string;
}

/** How many notices the home page shows, newest first (unread ones before read ones). */
export const INBOX_SIZE = 30;

/**
 * The viewer's own notices, and only about cases they can still see: someone taken off a panel keeps
 * no window onto the case through an old notice.
 */
export async function listNotices(db: Db, viewer: Viewer, limit = INBOX_SIZE): Promise<NoticeItem[]> {
	const rows = await db
		.select({
			id: notices.id,
			caseId: notices.caseId,
			caseNumber: cases.number,
			caseTitle: cases.title,
			kind: notices.kind,
			payload: notices.payload,
			createdAt: notices.createdAt,
			readAt: notices.readAt
		})
		.from(notices)
		.innerJoin(cases, eq(cases.id, notices.caseId))
		.where(and(eq(notices.userId, viewer.id), caseVisibility(viewer)))
		.orderBy(desc(notices.createdAt), desc(notices.id))
		.limit(limit);
	return rows.map(({ readAt, ...n }) => ({ ...n, read: readAt !== null, path: noticePath(n.kind, n.caseId, n.payload) }));
}
