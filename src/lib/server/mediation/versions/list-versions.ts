import { and, desc, eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { documentVersions, users } from '../../db/schema';
import { AppError } from '../../errors';
import { recordAccess } from './get-record-session';

/** A version as lists show it (no content). */
export interface VersionSummary {
	id: number;
	name: string;
	automatic: boolean;
	createdAt: Date;
	createdBy: string | null;
}

const summary = {
	id: documentVersions.id,
	name: documentVersions.name,
	automatic: documentVersions.automatic,
	createdAt: documentVersions.createdAt,
	createdBy: users.name
};

/** The named versions of a session's record, newest first, for anyone who may read the record. */
export async function listVersions(db: Db, viewer: Viewer, sessionId: number): Promise<VersionSummary[]> {
	const { docName } = await recordAccess(db, viewer, sessionId);
	return db
		.select(summary)
		.from(documentVersions)
		.leftJoin(users, eq(users.id, documentVersions.createdById))
		.where(eq(documentVersions.docName, docName))
		.orderBy(desc(documentVersions.createdAt), desc(documentVersions.id));
}

/** One version of a session's record with its snapshot; `not_found` unless it belongs to that record. */
export async function findVersion(db: Db, docName: string, versionId: number): Promise<VersionSummary & { state: Uint8Array }> {
	if (!Number.isSafeInteger(versionId) || versionId <= 0) throw new AppError('not_found');
	const [row] = await db
		.select({ ...summary, state: documentVersions.state })
		.from(documentVersions)
		.leftJoin(users, eq(users.id, documentVersions.createdById))
		.where(and(eq(documentVersions.id, versionId), eq(documentVersions.docName, docName)))
		.limit(1);
	if (!row) throw new AppError('not_found');
	return row;
}
