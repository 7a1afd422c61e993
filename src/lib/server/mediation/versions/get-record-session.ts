import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { caseVisibility } from '../../cases/scope';
import type { Db } from '../../db';
import { caseParties, cases, mediationSessions, panelMembers } from '../../db/schema';
import { AppError } from '../../errors';
import { recordDocName, recordDocumentAccess } from '../document-access';

/** The viewer's part in a case, as the presence list shows it. */
export type RecordCapacity = 'mediator' | 'panel_member' | 'party' | 'observer';

/** A session and its case as the live record page shows them. */
export interface RecordSession {
	docName: string;
	access: 'write' | 'read';
	capacity: RecordCapacity;
	session: {
		id: number;
		seq: number;
		scheduledAt: Date;
		location: string | null;
		remote: boolean;
		openness: 'open' | 'closed';
		status: 'scheduled' | 'in_progress' | 'ended' | 'cancelled';
	};
	case: { id: number; number: string; title: string };
}

/**
 * Loads a session with its case, only among the cases the viewer may see, and what the viewer may do
 * with its record. Anything outside that is `not_found`, the same as a missing id.
 */
export async function getRecordSession(db: Db, viewer: Viewer, sessionId: number): Promise<RecordSession> {
	if (!Number.isSafeInteger(sessionId) || sessionId <= 0) throw new AppError('not_found');
	const [row] = await db
		.select({
			session: {
				id: mediationSessions.id,
				seq: mediationSessions.seq,
				scheduledAt: mediationSessions.scheduledAt,
				location: mediationSessions.location,
				remote: mediationSessions.remote,
				openness: mediationSessions.openness,
				status: mediationSessions.status
			},
			case: { id: cases.id, number: cases.number, title: cases.title, mediatorId: cases.mediatorId }
		})
		.from(mediationSessions)
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.where(and(eq(mediationSessions.id, sessionId), caseVisibility(viewer)))
		.limit(1);
	if (!row) throw new AppError('not_found');
	const docName = recordDocName(sessionId);
	const access = await recordDocumentAccess(db, viewer, docName);
	if (!access) throw new AppError('not_found');
	return { docName, access, capacity: await capacityOf(db, viewer, row.case.id, row.case.mediatorId), session: row.session, case: row.case };
}

/** Resolves a session id to its record's name and the viewer's access; `not_found` when none. */
export async function recordAccess(db: Db, viewer: Viewer, sessionId: number): Promise<{ docName: string; access: 'write' | 'read' }> {
	if (!Number.isSafeInteger(sessionId) || sessionId <= 0) throw new AppError('not_found');
	const docName = recordDocName(sessionId);
	const access = await recordDocumentAccess(db, viewer, docName);
	if (!access) throw new AppError('not_found');
	return { docName, access };
}

/** The viewer's part in a case (mediator, panel member, party or observer). */
export async function capacityOf(db: Db, viewer: Viewer, caseId: number, mediatorId: number | null): Promise<RecordCapacity> {
	if (mediatorId === viewer.id) return 'mediator';
	const [member] = await db
		.select({ id: panelMembers.id })
		.from(panelMembers)
		.where(and(eq(panelMembers.caseId, caseId), eq(panelMembers.userId, viewer.id), isNull(panelMembers.removedAt)))
		.limit(1);
	if (member) return 'panel_member';
	const [party] = await db
		.select({ id: caseParties.id })
		.from(caseParties)
		.where(and(eq(caseParties.caseId, caseId), eq(caseParties.userId, viewer.id)))
		.limit(1);
	if (party) return 'party';
	return viewer.roles.some((r) => r.role === 'mediator') ? 'mediator' : 'observer';
}
