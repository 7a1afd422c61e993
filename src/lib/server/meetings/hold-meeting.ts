import { and, eq, inArray } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { caseVisibility } from '../cases/scope';
import type { Db } from '../db';
import { cases, coordinationMeetings, departments, meetingDepartments, meetingMatters } from '../db/schema';
import { AppError } from '../errors';
import { countyIdOf } from '../roster/rules';
import { parseInput } from '../validation';
import { reasonsOf } from './propose-agenda';
import { holdMeetingInput, mayHoldMeetings } from './rules';

export interface HoldMeetingOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Records a meeting on stalled matters: kind, time, place, who attended, the departments taking part
 * and the matters on its agenda (each in the holder's scope, else the whole form is refused). The
 * meeting belongs to the holder's place. Decisions are added per matter afterwards (add-action.ts).
 */
export async function holdMeeting(db: Db, actor: Viewer, raw: unknown, options: HoldMeetingOptions = {}): Promise<{ id: number }> {
	const { ip, now = new Date() } = options;
	if (!mayHoldMeetings(actor)) throw new AppError('forbidden');
	const input = parseInput(holdMeetingInput(now), raw);
	return db.transaction(async (tx) => {
		const seen = await tx
			.select({ id: cases.id })
			.from(cases)
			.where(and(inArray(cases.id, input.caseIds), caseVisibility(actor)));
		// A matter outside the holder's scope reads like one that does not exist.
		if (seen.length !== input.caseIds.length) throw new AppError('invalid', { caseIds: 'mt_err_case_not_found' });
		const depts = await tx
			.select({ id: departments.id })
			.from(departments)
			.where(and(inArray(departments.id, input.departmentIds), eq(departments.countyId, countyIdOf(actor))));
		if (depts.length !== input.departmentIds.length) throw new AppError('invalid', { departmentIds: 'err_department_not_found' });

		const [meeting] = await tx
			.insert(coordinationMeetings)
			.values({
				kind: input.kind,
				placeId: actor.place.id,
				placePath: actor.place.path,
				heldAt: input.heldAt,
				location: input.location,
				attendees: input.attendees,
				createdById: actor.id,
				createdAt: now
			})
			.returning({ id: coordinationMeetings.id });
		await tx.insert(meetingDepartments).values(input.departmentIds.map((departmentId) => ({ meetingId: meeting.id, departmentId })));
		const reasons = await reasonsOf(tx, input.caseIds, { now });
		await tx.insert(meetingMatters).values(input.caseIds.map((caseId) => ({ meetingId: meeting.id, caseId, reasons: (reasons.get(caseId) ?? []).join(',') })));
		await recordAudit(tx, {
			action: 'meeting.hold',
			actorId: actor.id,
			subjectType: 'meeting',
			subjectId: meeting.id,
			ip,
			data: { kind: input.kind, heldAt: input.heldAt.toISOString(), caseIds: input.caseIds, departmentIds: input.departmentIds }
		});
		return { id: meeting.id };
	});
}
