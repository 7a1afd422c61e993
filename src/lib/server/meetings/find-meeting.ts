import { and, eq, like } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { coordinationMeetings } from '../db/schema';
import { AppError } from '../errors';
import { idOf, scopePattern } from '../people/scope';
import { mayHoldMeetings } from './rules';

/**
 * A meeting the supervisor may see: held at their place or below. Anything else, or an id that cannot
 * be one, is "not found", so ids cannot be probed.
 */
export async function findMeeting(db: Db | Tx, actor: Viewer, rawId: unknown) {
	if (!mayHoldMeetings(actor)) throw new AppError('forbidden');
	const id = idOf(rawId);
	const [meeting] = await db
		.select()
		.from(coordinationMeetings)
		.where(and(eq(coordinationMeetings.id, id), like(coordinationMeetings.placePath, scopePattern(actor))));
	if (!meeting) throw new AppError('not_found');
	return meeting;
}
