import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import { recordDocName } from '../collab/doc-name';
import type { Db } from '../db';
import { callInvitations, cases, mediationSessions } from '../db/schema';
import { recordDocumentAccess } from '../mediation/document-access';
import { recordAttendance } from '../mediation/sessions/record-attendance';
import { writeAttendance } from '../mediation/sessions/write-attendance';
import { capacityOf } from '../mediation/versions/get-record-session';
import { invitationByGrant } from './call-link';
import type { Caller, RoomAccess, RoomSeat } from './rooms';
import { sessionAlive } from './session-alive';

/** A session's call is open while the session is scheduled (to test one's sound early) or under way. */
const LIVE = ['scheduled', 'in_progress'];

async function liveSession(db: Db, sessionId: number) {
	const [row] = await db
		.select({ status: mediationSessions.status, caseId: cases.id, mediatorId: cases.mediatorId })
		.from(mediationSessions)
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.where(eq(mediationSessions.id, sessionId))
		.limit(1);
	return row && LIVE.includes(row.status) ? row : null;
}

function audit(db: Db, seat: Pick<RoomSeat, 'actorId' | 'invitationId' | 'key'>, sessionId: number, ip: string, extra: { seconds?: number }) {
	const room = `session:${sessionId}`;
	return db.transaction((tx) =>
		extra.seconds === undefined
			? recordAudit(tx, { action: 'call.join', actorId: seat.actorId, subjectType: 'mediation_session', subjectId: sessionId, ip, data: { room, peer: seat.key, invitationId: seat.invitationId } })
			: recordAudit(tx, {
					action: 'call.leave',
					actorId: seat.actorId,
					subjectType: 'mediation_session',
					subjectId: sessionId,
					ip,
					data: { room, peer: seat.key, invitationId: seat.invitationId, seconds: extra.seconds }
				})
	);
}

/**
 * Who may join a session's call: exactly who may open its live record (recordDocumentAccess: case scope,
 * panel membership without recusal, the parties), while the session is scheduled or under way; and a
 * party holding a grant from a personal link to this very session. Joining records attendance when
 * the session is under way (once per person, as opening the record does) and a `call.join` audit row;
 * leaving a `call.leave` row with the time spent.
 */
export const sessionRoomAccess: RoomAccess = async (db, caller: Caller, rawId) => {
	const sessionId = Number(rawId);
	if (!Number.isSafeInteger(sessionId) || sessionId <= 0) return null;
	const session = await liveSession(db, sessionId);
	if (!session) return null;
	const subject = { type: 'mediation_session', id: sessionId };

	if (caller.kind === 'user') {
		const { viewer } = caller;
		if (!(await recordDocumentAccess(db, viewer, recordDocName(sessionId)))) return null;
		const seat: RoomSeat = {
			key: `u:${viewer.id}`,
			name: viewer.name,
			role: await capacityOf(db, viewer, session.caseId, session.mediatorId),
			actorId: viewer.id,
			invitationId: null,
			subject,
			async joined(db, ip, now) {
				await recordAttendance(db, viewer, sessionId, { ip, now });
				await audit(db, seat, sessionId, ip, {});
			},
			left: (db, ip, _now, seconds) => audit(db, seat, sessionId, ip, { seconds }),
			async stillValid(db, now) {
				return (await sessionAlive(db, caller.sessionId, now)) && Boolean(await liveSession(db, sessionId)) && Boolean(await recordDocumentAccess(db, viewer, recordDocName(sessionId)));
			}
		};
		return seat;
	}

	const grant = caller.grants.session;
	if (!grant) return null;
	const inv = await invitationByGrant(db, grant);
	if (!inv || inv.sessionId !== sessionId) return null;
	const seat: RoomSeat = {
		key: `g:${inv.invitationId}`,
		name: inv.partyName,
		role: 'party',
		actorId: null,
		invitationId: inv.invitationId,
		subject,
		async joined(db, ip, now) {
			await db.transaction(async (tx) => {
				// Attendance once per link, taken with the row's lock so two tabs do not both write it.
				const [locked] = await tx
					.select({ attendanceId: callInvitations.attendanceId, status: mediationSessions.status, seq: mediationSessions.seq })
					.from(callInvitations)
					.innerJoin(mediationSessions, eq(mediationSessions.id, callInvitations.sessionId))
					.where(eq(callInvitations.id, inv.invitationId))
					.for('update', { of: callInvitations });
				if (locked && locked.attendanceId === null && locked.status === 'in_progress') {
					const attendanceId = await writeAttendance(tx, {
						actorId: null,
						caseId: inv.caseId,
						session: { id: sessionId, seq: locked.seq },
						userId: null,
						name: inv.partyName,
						capacity: 'party',
						remote: true,
						ip,
						now
					});
					await tx.update(callInvitations).set({ attendanceId }).where(eq(callInvitations.id, inv.invitationId));
				}
				await recordAudit(tx, {
					action: 'call.join',
					actorId: null,
					subjectType: 'mediation_session',
					subjectId: sessionId,
					ip,
					data: { room: `session:${sessionId}`, peer: seat.key, invitationId: inv.invitationId }
				});
			});
		},
		left: (db, ip, _now, seconds) => audit(db, seat, sessionId, ip, { seconds }),
		async stillValid(db, now) {
			const again = await invitationByGrant(db, grant, { now });
			return again?.invitationId === inv.invitationId;
		}
	};
	return seat;
};

