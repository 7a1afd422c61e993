import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { caseParties, panelMembers, sessionAttendance } from '../../db/schema';
import { type PanelMemberType } from '../panel/rules';
import { mayRunMediation } from '../../cases/access';
import { loadSession } from './load-session';
import { attendeeCapacity, joinsRemotely, type Capacity } from './rules';
import { writeAttendance } from './write-attendance';

export type AttendanceResult =
	/** Recorded now. */
	| { status: 'recorded'; attendanceId: number; capacity: Capacity }
	/** Already recorded earlier for this session (attendance is recorded once per person). */
	| { status: 'already'; attendanceId: number; capacity: string }
	/** The session is not under way (not started, ended or cancelled): nothing recorded. */
	| { status: 'not_in_progress' };

export interface RecordAttendanceOptions {
	/** Whether the person joins from elsewhere (unsaid: as the way the session is held implies). */
	remote?: boolean;
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Records that a signed-in person joined a session — called when someone opens the session's live
 * record, and for everyone who has it open when the session starts (repeated calls are harmless). Only while the
 * session is under way, once per person, in the capacity their role on the case gives them; remote
 * or in the room as given, or (unsaid) as the way the session is held implies.
 * A session of a case the viewer may not see is `not_found` (thrown); everything else is a result.
 */
export async function recordAttendance(
	db: Db,
	viewer: Viewer,
	sessionId: unknown,
	options: RecordAttendanceOptions = {}
): Promise<AttendanceResult> {
	const { ip, now = new Date() } = options;
	const { session, case: row } = await loadSession(db, viewer, sessionId, 'see');
	if (session.status !== 'in_progress') return { status: 'not_in_progress' };
	const existing = await findAttendance(db, session.id, viewer.id);
	if (existing) return { status: 'already', ...existing };

	const [[member], [party]] = await Promise.all([
		db
			.select({ memberType: panelMembers.memberType })
			.from(panelMembers)
			.where(and(eq(panelMembers.caseId, row.id), eq(panelMembers.userId, viewer.id), isNull(panelMembers.removedAt), ne(panelMembers.conflict, 'recused')))
			.limit(1),
		db
			.select({ id: caseParties.id })
			.from(caseParties)
			.where(and(eq(caseParties.caseId, row.id), eq(caseParties.userId, viewer.id)))
			.limit(1)
	]);
	const runsMediation = mayRunMediation(viewer, row);
	const remote = options.remote ?? joinsRemotely(session, runsMediation);
	const capacity = attendeeCapacity({
		runsMediation,
		memberType: (member?.memberType as PanelMemberType | undefined) ?? null,
		isParty: party !== undefined
	});

	const recorded = await db.transaction((tx) =>
		writeAttendance(tx, { actorId: viewer.id, caseId: row.id, session, userId: viewer.id, name: viewer.name, capacity, remote, ip, now })
	);
	if (recorded === null) return { status: 'already', ...(await findAttendance(db, session.id, viewer.id))! };
	return { status: 'recorded', attendanceId: recorded, capacity };
}

async function findAttendance(db: Db, sessionId: number, userId: number): Promise<{ attendanceId: number; capacity: string } | undefined> {
	const [row] = await db
		.select({ attendanceId: sessionAttendance.id, capacity: sessionAttendance.capacity })
		.from(sessionAttendance)
		.where(and(eq(sessionAttendance.sessionId, sessionId), eq(sessionAttendance.userId, userId)))
		.limit(1);
	return row;
}
