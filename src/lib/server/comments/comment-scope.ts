import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import { parseDocName } from '../collab/doc-name';
import type { Db } from '../db';
import { cases, mediationSessions } from '../db/schema';
import { AppError } from '../errors';
import { agreementDocumentAccess } from '../agreements/agreement-case';
import { recordDocumentAccess } from '../mediation/document-access';
import { capacityOf } from '../mediation/versions/get-record-session';

/** A commentable document as one viewer may reach it. */
export interface CommentScope {
	docName: string;
	kind: 'record' | 'agreement';
	caseId: number;
	caseNumber: string;
	/** The session of a record; null for an agreement. */
	sessionId: number | null;
	/** Whether the viewer runs or edits the document (resolves anyone's thread). */
	moderates: boolean;
}

/**
 * Who may comment: exactly who may read the document (mediation/document-access.ts), so a party
 * comments on the record and the agreement they read, and a stranger, a party of another case or a
 * recused panel member gets `not_found`, the same as a missing document.
 */
export async function commentScope(db: Db, viewer: Viewer, docName: string): Promise<CommentScope> {
	const doc = parseDocName(docName);
	if (!doc || doc.kind === 'other') throw new AppError('not_found');
	const access = doc.kind === 'agreement' ? await agreementDocumentAccess(db, viewer, doc.caseId) : await recordDocumentAccess(db, viewer, doc);
	if (!access) throw new AppError('not_found');
	const columns = { caseId: cases.id, caseNumber: cases.number, mediatorId: cases.mediatorId };
	const [row] =
		doc.kind === 'record'
			? await db
					.select(columns)
					.from(mediationSessions)
					.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
					.where(and(eq(mediationSessions.id, doc.sessionId), caseVisibility(viewer)))
					.limit(1)
			: await db.select(columns).from(cases).where(and(eq(cases.id, doc.caseId), caseVisibility(viewer))).limit(1);
	if (!row) throw new AppError('not_found');
	const capacity = await capacityOf(db, viewer, row.caseId, row.mediatorId);
	return {
		docName: doc.name,
		kind: doc.kind,
		caseId: row.caseId,
		caseNumber: row.caseNumber,
		sessionId: doc.kind === 'record' ? doc.sessionId : null,
		moderates: access === 'write' || capacity === 'mediator' || capacity === 'panel_member'
	};
}
