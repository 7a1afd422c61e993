import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions } from '../db/schema';

/** Whether a signed-in caller's login session still holds (not signed out, not expired): checked while a call lasts. */
export async function sessionAlive(db: Db, sessionId: string, now: Date): Promise<boolean> {
	const [live] = await db
		.select({ id: sessions.id })
		.from(sessions)
		.where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, now)));
	return Boolean(live);
}
