import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { agreementAccess } from '../agreements/agreement-case';
import { caseVisibility } from '../cases/scope';
import type { Db } from '../db';
import { agreements, cases, mediationSessions, panelMembers } from '../db/schema';

export type DocumentAccess = 'write' | 'read' | null;

/** `record:<sessionId>`: the mediation record (调解笔录) of one session. */
export const RECORD_DOC = /^record:([1-9]\d{0,14})$/;

export function recordDocName(sessionId: number): string {
	return `record:${sessionId}`;
}

/** `agreement:<caseId>`: the free text of a case's mediation agreement (调解协议书) while it is drafted. */
export const AGREEMENT_DOC = /^agreement:([1-9]\d{0,14})$/;

export function agreementDocName(caseId: number): string {
	return `agreement:${caseId}`;
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
	const agreement = AGREEMENT_DOC.exec(docName);
	if (agreement) return agreementDocumentAccess(db, viewer, Number(agreement[1]));
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

/**
 * An agreement's free text: only once the case has an agreement, within the case's scope; the people
 * who may edit the draft by its forms (agreements/agreement-case.ts: the mediator running the case,
 * panel members who declared no conflict) edit it while it is a draft; everyone else who may see the
 * agreement reads it, and everybody only reads it once it is frozen or in force.
 */
async function agreementDocumentAccess(db: Db, viewer: Viewer, caseId: number): Promise<DocumentAccess> {
	const [row] = await db
		.select({ case: cases, status: agreements.status })
		.from(cases)
		.innerJoin(agreements, eq(agreements.caseId, cases.id))
		.where(and(eq(cases.id, caseId), caseVisibility(viewer)))
		.limit(1);
	if (!row) return null;
	const access = await agreementAccess(db, viewer, row.case);
	if (!access) return null;
	return access.edit && row.status === 'draft' ? 'write' : 'read';
}
