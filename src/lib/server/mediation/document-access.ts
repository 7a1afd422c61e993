import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { isStudioMember } from '../cases/permissions';
import { caseVisibility } from '../cases/scope';
import { parseDocName, type DocName } from '../collab/doc-name';
import type { Db } from '../db';
import { cases, mediationSessions, panelMembers } from '../db/schema';

export type DocumentAccess = 'write' | 'read' | null;

export { agreementDocName, recordDocName } from '../collab/doc-name';

/**
 * Who may do what with a session's live record (any other document is null here: an agreement's text
 * is `agreements/agreement-case.ts` `agreementDocumentAccess`, and `src/lib/server/start-collab.ts`
 * gives the collaboration server both):
 * - nobody who may not see the case gets anything (the same scope as every case page);
 * - the case's mediator, mediators whose area covers the handling place or whose studio has the case,
 *   and panel members who declared no conflict may edit;
 * - everyone else who may see the case (parties, supervisors, observers) reads it live;
 * - a cancelled session's record is read-only; a recused panel member does not see it.
 */
export async function recordDocumentAccess(db: Db, viewer: Viewer, docName: DocName | string): Promise<DocumentAccess> {
	const doc = typeof docName === 'string' ? parseDocName(docName) : docName;
	if (doc?.kind !== 'record') return null;
	const [row] = await db
		.select({ sessionStatus: mediationSessions.status, caseId: cases.id, mediatorId: cases.mediatorId, studioId: cases.studioId, placePath: cases.placePath })
		.from(mediationSessions)
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.where(and(eq(mediationSessions.id, doc.sessionId), caseVisibility(viewer)))
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
		row.mediatorId === viewer.id ||
		(isMediator && (row.placePath.startsWith(viewer.place.path) || isStudioMember(row.studioId, viewer.studioIds))) ||
		member?.conflict === 'no_conflict';
	return mayEdit ? 'write' : 'read';
}
