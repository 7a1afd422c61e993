import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import type { CaseRow } from '../../cases/work/case-snapshot';
import { caseVisibility } from '../../cases/scope';
import type { Db, Tx } from '../../db';
import { cases, mediationSessions, type MediationSession } from '../../db/schema';
import { AppError } from '../../errors';
import { mayRunMediation } from '../../cases/access';

/**
 * A session and its case, looked up only among the cases the viewer may see: a session of a case
 * outside their scope is `not_found`, like a missing one. With `caseId`, the session must also belong
 * to that case (a form on one case's page cannot reach another case's session). With `run`, the
 * viewer must run the case's mediation (`forbidden` otherwise).
 */
export async function loadSession(
	db: Db | Tx,
	viewer: Viewer,
	sessionId: unknown,
	need: 'see' | 'run',
	caseId?: unknown
): Promise<{ session: MediationSession; case: CaseRow }> {
	const id = Number(sessionId);
	const expectedCase = caseId === undefined ? undefined : Number(caseId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	const [row] = await db
		.select({ session: mediationSessions, case: cases })
		.from(mediationSessions)
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.where(and(eq(mediationSessions.id, id), caseVisibility(viewer)))
		.limit(1);
	if (!row || (expectedCase !== undefined && row.case.id !== expectedCase)) throw new AppError('not_found');
	if (need === 'run' && !mayRunMediation(viewer, row.case)) throw new AppError('forbidden');
	return row;
}
