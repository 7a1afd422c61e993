import type { Viewer } from '../../../types';
import type { Db } from '../../db';

/** What a hook is told once a session's end has committed. */
export interface SessionEnded {
	sessionId: number;
	caseId: number;
	seq: number;
	/** The automatic version name of the record at this point, e.g. "第1次调解结束". */
	versionName: string;
	actor: Viewer;
	endedAt: Date;
}

export type SessionEndedHook = (db: Db, event: SessionEnded) => Promise<void>;

/**
 * Callbacks run after a session's end has committed and its record's automatic version is made, in
 * order (e.g. telling the live session page). After the commit, so a failing hook never undoes the
 * end; `endSession` logs the failure and goes on. Register once at module load: `onSessionEnded.push(hook)`.
 */
export const onSessionEnded: SessionEndedHook[] = [];

/** "第N次调解结束": the automatic version name at the end of session N. */
export function endOfSessionVersionName(seq: number): string {
	return `第${seq}次调解结束`;
}
