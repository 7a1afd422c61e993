import type { Viewer } from '../../../types';
import type { CollabServer } from '../../collab/api';
import { recordDocName, type DocName } from '../../collab/doc-name';
import type { Db } from '../../db';
import { loadViewer } from '../../people/load-viewer';
import { recordAttendance } from './record-attendance';

/**
 * Someone opened a session's live record (the collaboration server granted them the document):
 * their attendance, when the session is under way. Other documents are not sessions.
 */
export async function attendRecord(db: Db, viewer: Viewer, doc: DocName): Promise<void> {
	if (doc.kind !== 'record') return;
	await recordAttendance(db, viewer, doc.sessionId);
}

/**
 * A session has just started: everyone who already has its record open attends, as if they had
 * opened it now. Returns how many people that was.
 */
export async function attendConnected(db: Db, sessionId: number, collab: CollabServer | null): Promise<number> {
	if (!collab) return 0;
	const people = new Set(collab.connected(recordDocName(sessionId)).map((p) => p.userId));
	for (const userId of people) {
		const viewer = await loadViewer(db, userId);
		if (viewer) await recordAttendance(db, viewer, sessionId);
	}
	return people.size;
}
