import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { notices } from '../db/schema';
import { UNREAD_CAP } from '../../unread-cap';


/**
 * The viewer's unread notices, counted up to one past the cap, for the header of every signed-in page.
 * Reads only the (user_id, read_at) index.
 */
export async function countUnread(db: Db, userId: number): Promise<number> {
	const inner = db
		.select({ one: sql`1` })
		.from(notices)
		.where(and(eq(notices.userId, userId), isNull(notices.readAt)))
		.limit(UNREAD_CAP + 1)
		.as('unread');
	const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(inner);
	return row?.n ?? 0;
}
