import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { caseEvents, mediationSessions, sessionAttendance, users } from '../../db/schema';
import { isCaseOpen, loadMediationCase, mayRunMediation } from '../../cases/access';
import type { SessionStatus } from './rules';

export interface AttendeeView {
	id: number;
	name: string;
	capacity: string;
	remote: boolean;
	joinedAt: Date;
	/** Joined with their own account (not added by hand). */
	signedIn: boolean;
}

export interface SessionView {
	id: number;
	seq: number;
	scheduledAt: Date;
	location: string | null;
	remote: boolean;
	openness: 'open' | 'closed';
	status: SessionStatus;
	startedAt: Date | null;
	endedAt: Date | null;
	createdBy: string;
	/** Why it was cancelled; staff only (it is a staff timeline note). */
	cancelReason: string | null;
	attendance: AttendeeView[];
}

export interface SessionsView {
	case: { id: number; number: string; title: string; status: string };
	/** The viewer runs this case's mediation: may schedule, start, end, cancel and add attendees. */
	mayRun: boolean;
	/** The case still takes new sessions. */
	open: boolean;
	sessions: SessionView[];
}

const NOT_STAFF = new Set(['party', 'panelist']);

/** A case's sessions in order, with who attended each, looked up through the viewer's scope. */
export async function listSessions(db: Db, viewer: Viewer, caseId: unknown): Promise<SessionsView> {
	const row = await loadMediationCase(db, viewer, caseId, 'see');
	const staff = viewer.roles.some((r) => !NOT_STAFF.has(r.role));
	const sessions = await db
		.select({ s: mediationSessions, createdBy: users.name })
		.from(mediationSessions)
		.innerJoin(users, eq(users.id, mediationSessions.createdById))
		.where(eq(mediationSessions.caseId, row.id))
		.orderBy(asc(mediationSessions.seq));
	const ids = sessions.map((r) => r.s.id);
	const [attendance, cancellations] = await Promise.all([
		ids.length
			? db.select().from(sessionAttendance).where(inArray(sessionAttendance.sessionId, ids)).orderBy(asc(sessionAttendance.joinedAt), asc(sessionAttendance.id))
			: Promise.resolve([]),
		staff
			? db
					.select({ data: caseEvents.data, note: caseEvents.note })
					.from(caseEvents)
					.where(and(eq(caseEvents.caseId, row.id), eq(caseEvents.kind, 'session_cancelled')))
			: Promise.resolve([])
	]);
	const reasons = new Map(cancellations.map((c) => [(c.data as { sessionId?: number }).sessionId, c.note]));

	return {
		case: { id: row.id, number: row.number, title: row.title, status: row.status },
		mayRun: mayRunMediation(viewer, row),
		open: isCaseOpen(row.status),
		sessions: sessions.map(({ s, createdBy }) => ({
			id: s.id,
			seq: s.seq,
			scheduledAt: s.scheduledAt,
			location: s.location,
			remote: s.remote,
			openness: s.openness,
			status: s.status,
			startedAt: s.startedAt,
			endedAt: s.endedAt,
			createdBy,
			cancelReason: reasons.get(s.id) ?? null,
			attendance: attendance
				.filter((a) => a.sessionId === s.id)
				.map((a) => ({ id: a.id, name: a.name, capacity: a.capacity, remote: a.remote, joinedAt: a.joinedAt, signedIn: a.userId !== null }))
		}))
	};
}
