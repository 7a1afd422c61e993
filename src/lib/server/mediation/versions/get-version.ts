import type { RecordBlock } from '../../../shared/record-schema';
import type { Viewer } from '../../../types';
import type { Db } from '../../db';
import { recordAccess } from './get-record-session';
import { findVersion, type VersionSummary } from './list-versions';
import { documentFromState, recordBlocks } from './record-document';

/** One version of a record, read-only: its text rendered on the server from the snapshot. */
export async function getVersion(
	db: Db,
	viewer: Viewer,
	sessionId: number,
	versionId: number
): Promise<{ version: VersionSummary; blocks: RecordBlock[]; access: 'write' | 'read' }> {
	const { docName, access } = await recordAccess(db, viewer, sessionId);
	const { state, ...version } = await findVersion(db, docName, versionId);
	const doc = documentFromState(state);
	try {
		return { version, blocks: recordBlocks(doc), access };
	} finally {
		doc.destroy();
	}
}
