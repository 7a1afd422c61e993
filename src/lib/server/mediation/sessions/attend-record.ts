import type { Viewer } from '../../../types';
import type { CollabServer } from '../../collab/attach';
import { runningCollab } from '../../collab/start-collab';
import type { Db } from '../../db';
import { loadViewer } from '../../people/load-viewer';
import { RECORD_DOC, recordDocName } from '../document-access';
import { recordAttendance } from './record-attendance';

/**
 * Someone opened a session's live record (the collaboration server granted them the document):
 * their attendance, when the session is under way. Other documents are not sessions.
 */
export async function attendRecord(db: Db, viewer: Viewer, docName: string): Promise<void> {
	const match = RECORD_DOC.exec(docName);
	if (!match) return;
	await recordAttendance(db, viewer, Number(match[1]), {});
}

/**
 * A session has just started: everyone who already has its record open attends, as if they had
 * opened it now. Returns how many people that was.
 */
export async function attendConnected(db: Db, sessionId: number, collab: CollabServer | null = runningCollab()): Promise<number> {
	if (!collab) return 0;
	const docName = recordDocName(sessionId);
	const people = new Set<number>();
	for (const c of collab.connections) if (c.docName === docName && c.grant) people.add(c.grant.userId);
	for (const userId of people) {
		const viewer = await loadViewer(db, userId);
		if (viewer) await recordAttendance(db, viewer, sessionId, {});
	}
	return people.size;
}
