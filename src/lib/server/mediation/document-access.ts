import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import type { Db } from '../db';
import { cases, mediationSessions, panelMembers } from '../db/schema';

export type DocumentAccess = 'write' | 'read' | null;

/** `record:<sessionId>`: the mediation record (调解笔录) of one session. */
export const RECORD_DOC = /^record:(\d{1,15})$/;

export function recordDocName(sessionId: number): string {
	return `record:${sessionId}`;
}

/**
 * Who may do what with a collaborative document. For a session's record:
 * - nobody who may not see the case gets anything (the same scope as every case page);
 * - the case's mediator, mediators whose area covers the handling place, and panel members who
 *   declared no conflict may edit;
 * - everyone else who may see the case (parties, supervisors, observers) reads it live;
 * - a cancelled session's record is read-only; a recused panel member does not see it.
 */
export async function documentAccess(db: Db, viewer: Viewer, docName: string): Promise<DocumentAccess> {
	const match = RECORD_DOC.exec(docName);
	if (!match) return null;
	const [row] = await db
		.select({ sessionStatus: mediationSessions.status, caseId: cases.id, mediatorId: cases.mediatorId, placePath: cases.placePath })
		.from(mediationSessions)
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.where(and(eq(mediationSessions.id, Number(match[1])), caseVisibility(viewer)))
		.limit(1);
	if (!row) return null;
	const [member] = await db
		.select({ conflict: panelMembers.conflict })
		.from(panelMembers)
		.where(and(eq(panelMembers.caseId, row.caseId), eq(panelMembers.userId, viewer.id), isNull(panelMembers.removedAt)))
		.limit(1);
	if (member?.conflict === 'recused') return null;
	if (row.sessionStatus === 'cancelled') return 'read';
	const isMediator = viewer.roles.some((r) => r.role === 'mediator');
	const mayEdit =
		row.mediatorId === viewer.id || (isMediator && row.placePath.startsWith(viewer.place.path)) || member?.conflict === 'no_conflict';
	return mayEdit ? 'write' : 'read';
}
