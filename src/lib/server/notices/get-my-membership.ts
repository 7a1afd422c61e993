import type { ConflictDeclaration } from '../../enums';
import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { panelMembers } from '../db/schema';

export type MyMembership = { conflict: ConflictDeclaration } | null;

/**
 * The viewer's own seat on a case's panel, if any, so the case page can tell a panel member what he can
 * do there (declare, open the record, give an opinion) instead of "nothing to do". Call it only with a
 * case the viewer was already allowed to open.
 */
export async function getMyMembership(db: Db, viewer: Viewer, caseId: number): Promise<MyMembership> {
	const [row] = await db
		.select({ conflict: panelMembers.conflict })
		.from(panelMembers)
		.where(and(eq(panelMembers.caseId, caseId), eq(panelMembers.userId, viewer.id), isNull(panelMembers.removedAt)))
		.limit(1);
	return row ?? null;
}
