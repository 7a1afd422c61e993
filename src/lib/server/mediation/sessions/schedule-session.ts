import { eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { cases, mediationSessions } from '../../db/schema';
import { notify } from '../../notices/notify';
import { PendingTexts } from '../../notices/pending-texts';
import { panelRecipients, partyRecipients } from '../../notices/recipients';
import { parseInput } from '../../validation';
import { recordCaseActivity } from '../../cases/activity';
import { loadMediationCase, requireOpenCase } from '../../cases/access';
import { scheduleInput, type ScheduleInput } from './rules';

export interface ScheduleSessionOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Schedules the next mediation session of a case (its `seq` is one more than the last, cancelled
 * ones included, so "第2次调解" keeps its number). The case row is locked for the numbering, so two
 * schedulings at once get consecutive numbers instead of a clash. The timeline gets one plain public
 * entry ("调解会已安排"): the petitioner sees that a session is set, not the working details.
 */
export async function scheduleSession(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: ScheduleInput | Record<string, unknown>, options: ScheduleSessionOptions = {}
): Promise<{ sessionId: number; seq: number }> {
	const { ip, now = new Date() } = options;
	const row = await loadMediationCase(db, actor, caseId, 'run');
	const input = parseInput(scheduleInput(now), raw);
	requireOpenCase(row.status);

	const texts = new PendingTexts();
	const result = await db.transaction(async (tx) => {
		await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, row.id)).for('update');
		const [{ last }] = await tx
			.select({ last: sql<number>`coalesce(max(${mediationSessions.seq}), 0)::int` })
			.from(mediationSessions)
			.where(eq(mediationSessions.caseId, row.id));
		const seq = last + 1;
		const [session] = await tx
			.insert(mediationSessions)
			.values({
				caseId: row.id,
				seq,
				scheduledAt: input.scheduledAt,
				location: input.location,
				remote: input.remote,
				openness: input.openness,
				createdById: actor.id,
				createdAt: now
			})
			.returning({ id: mediationSessions.id });
		await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'session_scheduled', data: { sessionId: session.id, seq }, public: true }]);
		await recordAudit(tx, {
			action: 'session.schedule',
			actorId: actor.id,
			subjectType: 'mediation_session',
			subjectId: session.id,
			ip,
			data: { caseId: row.id, seq, scheduledAt: input.scheduledAt.toISOString(), remote: input.remote, openness: input.openness }
		});
		const recipients = [...(await panelRecipients(tx, row.id)), ...(await partyRecipients(tx, row.id))];
		const payload = { caseNumber: row.number, sessionId: session.id, seq, at: input.scheduledAt.toISOString() };
		await notify(tx, { caseId: row.id, kind: 'session_scheduled', payload }, recipients, now, texts);
		return { sessionId: session.id, seq };
	});
	await texts.send(db, now);
	return result;
}
