import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { CollabServer } from '../../collab/api';
import type { Db } from '../../db';
import { mediationSessions } from '../../db/schema';
import { AppError } from '../../errors';
import { logger } from '../../logger';
import { notify } from '../../notices/notify';
import { PendingTexts } from '../../notices/pending-texts';
import { panelRecipients, partyRecipients } from '../../notices/recipients';
import { parseInput } from '../../validation';
import { recordDocName } from '../document-access';
import { recordCaseActivity, type ActivityEntry } from '../../cases/activity';
import { requireOpenCase } from '../../cases/access';
import { createVersion } from '../versions/create-version';
import { attendConnected } from './attend-record';
import { loadSession } from './load-session';
import { endOfSessionVersionName, onSessionEnded } from './on-session-ended';
import { cancelInput, sessionStep, type SessionStep } from './rules';

/** Which session, and (from a case's page) which case it must belong to. */
export interface SessionRef {
	sessionId: unknown;
	caseId?: unknown;
	/** Why, for a cancellation. */
	reason?: unknown;
}

interface StepResult {
	sessionId: number;
	caseId: number;
	seq: number;
}

/** The circumstances of starting or ending a session. */
export interface SessionStepOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** The collaboration server, when one runs in this process. */
	collab?: CollabServer | null;
}

/**
 * Starts a scheduled session: status in_progress, `startedAt` now. After the commit, everyone who
 * has the live record open is recorded as attending (a failure there is logged: the start stands).
 * `collab` is the running collaboration server (`event.locals.collab`); without one nobody is connected.
 */
export async function startSession(db: Db, actor: Viewer, ref: SessionRef, options: SessionStepOptions = {}): Promise<StepResult> {
	const { ip, now = new Date(), collab = null } = options;
	const result = await step(db, actor, ref, 'start', ip, now);
	try {
		await attendConnected(db, result.sessionId, collab);
	} catch (err) {
		logger.error({ err, sessionId: result.sessionId }, 'recording the attendance of people already in the record failed');
	}
	return result;
}

/**
 * Ends a session under way: status ended, `endedAt` now, and a plain public timeline entry
 * ("调解会已结束"). After the commit, the record gets its automatic named version "第N次调解结束"
 * (made after the commit because createVersion first waits for the collaboration server to store
 * what it holds), then the `onSessionEnded` hooks run. Neither can undo the end: a failure is
 * logged, and a version can still be saved by hand from the record's history. `collab` as for startSession.
 */
export async function endSession(db: Db, actor: Viewer, ref: SessionRef, options: SessionStepOptions = {}): Promise<StepResult> {
	const { ip, now = new Date(), collab = null } = options;
	const result = await step(db, actor, ref, 'end', ip, now);
	const versionName = endOfSessionVersionName(result.seq);
	try {
		await createVersion(db, { docName: recordDocName(result.sessionId), name: versionName, automatic: true, actorId: actor.id }, { ip, collab });
	} catch (err) {
		logger.error({ err, sessionId: result.sessionId }, 'the automatic version at the end of a session failed');
	}
	const event = { ...result, versionName, actor, endedAt: now };
	for (const hook of onSessionEnded) {
		try {
			await hook(db, event);
		} catch (err) {
			logger.error({ err, sessionId: result.sessionId }, 'a session-ended hook failed');
		}
	}
	return result;
}

export interface CancelSessionOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** Cancels a session not yet started, with the reason (kept on the staff timeline). */
export async function cancelSession(db: Db, actor: Viewer, ref: SessionRef, options: CancelSessionOptions = {}): Promise<StepResult> {
	const { ip, now = new Date() } = options;
	return step(db, actor, ref, 'cancel', ip, now);
}

const AUDIT = { start: 'session.start', end: 'session.end', cancel: 'session.cancel' } as const;
const KIND = { start: 'session_started', end: 'session_ended', cancel: 'session_cancelled' } as const;

/**
 * One status step: authorise (the session among the cases the actor may see, and the actor runs
 * its mediation) → the pure step rule → one transaction whose update applies only if the status is
 * still the one the rule saw (two clicks on "start" cannot both start it).
 */
async function step(db: Db, actor: Viewer, ref: SessionRef, name: SessionStep, ip: string | undefined, now: Date): Promise<StepResult> {
	const { session, case: row } = await loadSession(db, actor, ref.sessionId, 'run', ref.caseId);
	const reason = name === 'cancel' ? parseInput(cancelInput, { reason: ref.reason }).reason : null;
	const decision = sessionStep(session.status, name);
	if (!decision.ok) throw new AppError('conflict', { _: decision.reason });
	// A session of a matter already concluded or filed away is not started; one under way may still end.
	if (name === 'start') requireOpenCase(row.status);

	const texts = new PendingTexts();
	await db.transaction(async (tx) => {
		const [updated] = await tx
			.update(mediationSessions)
			.set({ status: decision.to, ...(name === 'start' ? { startedAt: now } : name === 'end' ? { endedAt: now } : {}) })
			.where(and(eq(mediationSessions.id, session.id), eq(mediationSessions.status, session.status)))
			.returning({ id: mediationSessions.id });
		if (!updated) throw new AppError('conflict', { _: 'err_ss_changed' });
		const entry: ActivityEntry = { kind: KIND[name], note: reason, data: { sessionId: session.id, seq: session.seq }, public: name === 'end' };
		await recordCaseActivity(tx, row.id, actor.id, now, [entry]);
		await recordAudit(tx, {
			action: AUDIT[name],
			actorId: actor.id,
			subjectType: 'mediation_session',
			subjectId: session.id,
			ip,
			data: { caseId: row.id, seq: session.seq }
		});
		if (name === 'cancel') {
			const recipients = [...(await panelRecipients(tx, row.id)), ...(await partyRecipients(tx, row.id))];
			await notify(tx, { caseId: row.id, kind: 'session_cancelled', payload: { caseNumber: row.number, sessionId: session.id, seq: session.seq } }, recipients, now, texts);
		}
	});
	await texts.send(db, now);
	return { sessionId: session.id, caseId: row.id, seq: session.seq };
}
