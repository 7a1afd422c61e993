import { asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { mayRunMediation } from '../cases/access';
import type { Db } from '../db';
import { caseParties } from '../db/schema';
import { loadSession } from '../mediation/sessions/load-session';

/**
 * The parties a viewer may send a personal call link to, for the session page's form: the case's
 * parties, for whoever runs the mediation while the session is open for calls; nobody otherwise.
 */
export async function callLinkParties(db: Db, viewer: Viewer, sessionId: number): Promise<{ id: number; name: string; hasPhone: boolean }[]> {
	const { session, case: row } = await loadSession(db, viewer, sessionId, 'see');
	if (!mayRunMediation(viewer, row) || (session.status !== 'scheduled' && session.status !== 'in_progress')) return [];
	const parties = await db
		.select({ id: caseParties.id, name: caseParties.name, phone: caseParties.phone })
		.from(caseParties)
		.where(eq(caseParties.caseId, row.id))
		.orderBy(asc(caseParties.sortOrder), asc(caseParties.id));
	return parties.map((p) => ({ id: p.id, name: p.name, hasPhone: Boolean(p.phone) }));
}
