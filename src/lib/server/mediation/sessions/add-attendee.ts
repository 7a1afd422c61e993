import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { AppError } from '../../errors';
import { parseInput } from '../../validation';
import { loadSession } from './load-session';
import { attendeeInput } from './rules';
import { writeAttendance } from './write-attendance';

export interface AddAttendeeOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The mediator adds someone present in the room who has no account (a party without a phone, a
 * relative or neighbour invited under art. 20, a witness), by name and capacity. During the session
 * or after it (a paper sign-in sheet typed up afterwards); not before it starts nor once cancelled.
 */
export async function addAttendee(
	db: Db,
	actor: Viewer,
	raw: { sessionId: unknown; caseId?: unknown; name?: unknown; capacity?: unknown }, options: AddAttendeeOptions = {}
): Promise<{ attendanceId: number }> {
	const { ip, now = new Date() } = options;
	const { session, case: row } = await loadSession(db, actor, raw.sessionId, 'run', raw.caseId);
	const input = parseInput(attendeeInput, { name: raw.name, capacity: raw.capacity });
	if (session.status !== 'in_progress' && session.status !== 'ended') throw new AppError('conflict', { _: 'err_ss_attendance_closed' });

	const attendanceId = await db.transaction((tx) =>
		writeAttendance(tx, { actorId: actor.id, caseId: row.id, session, userId: null, name: input.name, capacity: input.capacity, remote: false, ip, now })
	);
	return { attendanceId: attendanceId! };
}
