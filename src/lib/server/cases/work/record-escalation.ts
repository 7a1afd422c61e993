import { eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { recordAudit } from '../../audit/record-audit';
import type { Db } from '../../db';
import { cases } from '../../db/schema';
import { AppError } from '../../errors';
import { parseInput } from '../../validation';
import { recordCaseActivity } from '../activity';
import { escalationInput, mayRecordEscalation } from '../escalation-rules';
import { shanghaiDate } from '../shanghai-date';
import { loadVisibleCase, originPath } from './case-snapshot';

export interface RecordEscalationOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Records that a matter went above the county (赴市, 赴省, 进京) on a given day, or corrects such a
 * record (`none`), for a supervisor of the place it arose in: the case's `escalated_to` (which the
 * maintained statistics count, so the assessment circular reads it at once), a staff timeline entry
 * with the day and the note, and the audit row, in one transaction.
 */
export async function recordEscalation(db: Db, actor: Viewer, caseId: unknown, raw: Record<string, unknown>, options: RecordEscalationOptions = {}) {
	const { ip, now = new Date() } = options;
	return db.transaction(async (tx) => {
		const row = await loadVisibleCase(tx, actor, caseId);
		if (!mayRecordEscalation(actor, originPath(row))) throw new AppError('forbidden');
		const input = parseInput(escalationInput(shanghaiDate(row.registeredAt), shanghaiDate(now)), raw);
		const [locked] = await tx.select({ escalatedTo: cases.escalatedTo }).from(cases).where(eq(cases.id, row.id)).for('update');
		const level = input.level === 'none' ? null : input.level;
		if (locked.escalatedTo === level) throw new AppError('conflict', { level: 'cy_err_same_level' });
		await tx
			.update(cases)
			.set({ escalatedBeyondCounty: level !== null, escalatedTo: level })
			.where(eq(cases.id, row.id));
		await recordCaseActivity(tx, row.id, actor.id, now, [
			{ kind: 'escalation_record', note: input.note, data: { level, previous: locked.escalatedTo, on: input.on } }
		]);
		await recordAudit(tx, {
			action: 'case.escalation_record',
			actorId: actor.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { level, previous: locked.escalatedTo, on: input.on }
		});
		return { caseId: row.id, level };
	});
}
