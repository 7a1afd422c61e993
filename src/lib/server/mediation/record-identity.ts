import { eq } from 'drizzle-orm';
import type { RecordUser } from '../../collab/presence.svelte';
import { userColor } from '../../collab/user-color';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { cases, mediationSessions } from '../db/schema';
import { AGREEMENT_DOC, RECORD_DOC } from './document-access';
import { capacityOf, type RecordCapacity } from './versions/get-record-session';

/** How a person appears in a record's presence list and on their caret. */
export function recordUser(viewer: Pick<Viewer, 'id' | 'name'>, capacity: RecordCapacity): RecordUser {
	return { id: viewer.id, name: viewer.name, color: userColor(viewer.id), role: capacity };
}

/**
 * The presence a connection to a record may show, decided by the server from the signed-in person:
 * the collaboration server replaces any other `user` a client publishes, so nobody appears under
 * someone else's name, colour or role. Called after the document policy granted access. The same
 * holds for an agreement's draft text (`agreement:<caseId>`).
 */
export async function recordIdentity(db: Db, viewer: Viewer, docName: string): Promise<RecordUser> {
	const agreementCase = AGREEMENT_DOC.exec(docName)?.[1];
	const sessionId = Number(RECORD_DOC.exec(docName)?.[1]);
	const [row] = agreementCase
		? await db.select({ caseId: cases.id, mediatorId: cases.mediatorId }).from(cases).where(eq(cases.id, Number(agreementCase))).limit(1)
		: await db
				.select({ caseId: cases.id, mediatorId: cases.mediatorId })
				.from(mediationSessions)
				.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
				.where(eq(mediationSessions.id, sessionId))
				.limit(1);
	const capacity = row ? await capacityOf(db, viewer, row.caseId, row.mediatorId) : 'observer';
	return recordUser(viewer, capacity);
}
