import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { CollabServer } from '../../collab/api';
import { directDocument } from '../../collab/direct-document';
import type { Db } from '../../db';
import { AppError } from '../../errors';
import { recordAccess } from './get-record-session';
import { findVersion } from './list-versions';
import { documentFromState, replaceRecord } from './record-document';

/**
 * Restores a version of a session's record as a NEW edit: the live record's content is replaced by
 * the version's in one Yjs transaction, sent through the collaboration server (so everyone editing
 * sees it) and stored. Nothing earlier is rewritten: the previous text stays in the log and in the
 * other versions. Only people who may edit the record may restore.
 */
export async function restoreVersion(
	db: Db,
	actor: Viewer,
	input: { sessionId: number; versionId: number },
	options: { ip?: string | null; collab: CollabServer | null }
): Promise<{ name: string; update: Uint8Array }> {
	const { docName, access } = await recordAccess(db, actor, input.sessionId);
	if (access !== 'write') throw new AppError('forbidden');
	const version = await findVersion(db, docName, input.versionId);
	const source = documentFromState(version.state);
	let update: Uint8Array;
	try {
		update = await directDocument(db, options.collab, docName).edit((doc) => replaceRecord(doc, source));
	} finally {
		source.destroy();
	}
	// The edit is durable in the record's own log before the audit row is written: an audit row never
	// claims a restore that did not happen.
	await db.transaction((tx) =>
		recordAudit(tx, {
			action: 'record.version_restore',
			actorId: actor.id,
			subjectType: 'document',
			subjectId: docName,
			ip: options.ip ?? null,
			data: { docName, versionId: version.id, name: version.name, updateBytes: update.byteLength }
		})
	);
	return { name: version.name, update };
}
