import { eq } from 'drizzle-orm';
import type { RecordUser } from '../../collab/presence.svelte';
import { userColor } from '../../shared/user-color';
import type { Viewer } from '../../types';
import type { DocName } from '../collab/doc-name';
import type { Db } from '../db';
import { cases, mediationSessions } from '../db/schema';
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
export async function recordIdentity(db: Db, viewer: Viewer, doc: DocName): Promise<RecordUser> {
	const [row] = await caseOf(db, doc);
	const capacity = row ? await capacityOf(db, viewer, row.caseId, row.mediatorId) : 'observer';
	return recordUser(viewer, capacity);
}

function caseOf(db: Db, doc: DocName): Promise<{ caseId: number; mediatorId: number | null }[]> {
	const columns = { caseId: cases.id, mediatorId: cases.mediatorId };
	if (doc.kind === 'agreement') return db.select(columns).from(cases).where(eq(cases.id, doc.caseId)).limit(1);
	if (doc.kind !== 'record') return Promise.resolve([]);
	return db.select(columns).from(mediationSessions).innerJoin(cases, eq(cases.id, mediationSessions.caseId)).where(eq(mediationSessions.id, doc.sessionId)).limit(1);
}
