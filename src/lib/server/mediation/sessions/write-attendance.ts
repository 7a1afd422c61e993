import { recordAudit } from '../../audit/record-audit';
import type { Tx } from '../../db';
import { sessionAttendance } from '../../db/schema';
import { recordCaseActivity } from '../../cases/activity';

export interface NewAttendance {
	/**
	 * Who recorded it: the attendee themselves, the mediator adding someone without an account, or
	 * nobody (null) for a party who joined a call through a personal link.
	 */
	actorId: number | null;
	caseId: number;
	session: { id: number; seq: number };
	userId: number | null;
	name: string;
	capacity: string;
	remote: boolean;
	ip?: string;
	now: Date;
}

/**
 * Inserts one attendance row with its staff timeline entry and audit row, inside the caller's
 * transaction. Returns the new id, or null when this account is already recorded for the session:
 * the unique (session, user) pair settles two tabs opening at once (rows without an account never clash).
 */
export async function writeAttendance(tx: Tx, a: NewAttendance): Promise<number | null> {
	const [attendance] = await tx
		.insert(sessionAttendance)
		.values({ sessionId: a.session.id, userId: a.userId, name: a.name, capacity: a.capacity, remote: a.remote, joinedAt: a.now })
		.onConflictDoNothing({ target: [sessionAttendance.sessionId, sessionAttendance.userId] })
		.returning({ id: sessionAttendance.id });
	if (!attendance) return null;
	const facts = { attendanceId: attendance.id, userId: a.userId, capacity: a.capacity, remote: a.remote };
	await recordCaseActivity(tx, a.caseId, a.actorId, a.now, [{ kind: 'session_attended', data: { sessionId: a.session.id, seq: a.session.seq, ...facts } }]);
	await recordAudit(tx, { action: 'session.attend', actorId: a.actorId, subjectType: 'mediation_session', subjectId: a.session.id, ip: a.ip, data: facts });
	return attendance.id;
}
