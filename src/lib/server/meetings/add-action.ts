import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { caseVisibility } from '../cases/scope';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db, Tx } from '../db';
import { cases, departments, meetingActions, meetingMatters } from '../db/schema';
import { AppError } from '../errors';
import { loadViewer } from '../people/load-viewer';
import { countyIdOf } from '../roster/rules';
import { ownerCandidates } from '../supervision/owner-candidates';
import { parseInput } from '../validation';
import { findMeeting } from './find-meeting';
import { addActionInput } from './rules';

export interface AddActionOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * Records one decision of a meeting on a matter of its agenda: what is to be done, the responsible
 * department and person, the time limit. The person must be someone who may own a supervision order
 * on the matter (a mediator or supervisor of its area, or its mediator) and whose own scope shows it,
 * so they can act on it and report it done.
 */
export async function addAction(db: Db, actor: Viewer, meetingId: unknown, raw: unknown, options: AddActionOptions = {}): Promise<{ id: number }> {
	const { ip } = options;
	return db.transaction(async (tx) => {
		const meeting = await findMeeting(tx, actor, meetingId);
		const input = parseInput(addActionInput(shanghaiDate(meeting.heldAt)), raw);
		const [matter] = await tx
			.select({ caseId: cases.id, countyId: cases.countyId, townshipId: cases.townshipId, villageId: cases.villageId, mediatorId: cases.mediatorId })
			.from(meetingMatters)
			.innerJoin(cases, eq(cases.id, meetingMatters.caseId))
			.where(and(eq(meetingMatters.meetingId, meeting.id), eq(meetingMatters.caseId, input.caseId), caseVisibility(actor)));
		if (!matter) throw new AppError('not_found');
		const [dept] = await tx
			.select({ id: departments.id })
			.from(departments)
			.where(and(eq(departments.id, input.departmentId), eq(departments.countyId, countyIdOf(actor))));
		if (!dept) throw new AppError('invalid', { departmentId: 'err_department_not_found' });
		if (!(await ownerMayAct(tx, matter, input.ownerId))) throw new AppError('invalid', { ownerId: 'err_sv_owner_invalid' });

		const [row] = await tx
			.insert(meetingActions)
			.values({ meetingId: meeting.id, caseId: matter.caseId, decision: input.decision, departmentId: dept.id, ownerId: input.ownerId, dueOn: input.dueOn })
			.returning({ id: meetingActions.id });
		await recordAudit(tx, {
			action: 'meeting.action_add',
			actorId: actor.id,
			subjectType: 'meeting',
			subjectId: meeting.id,
			ip,
			data: { actionId: row.id, caseId: matter.caseId, departmentId: dept.id, ownerId: input.ownerId, dueOn: input.dueOn }
		});
		return { id: row.id };
	});
}

async function ownerMayAct(tx: Tx, matter: { caseId: number; countyId: number; townshipId: number | null; villageId: number | null; mediatorId: number | null }, ownerId: number) {
	const [candidate] = await ownerCandidates(tx, matter, ownerId);
	if (!candidate) return false;
	const owner = await loadViewer(tx as unknown as Db, ownerId);
	if (!owner) return false;
	const [seen] = await tx.select({ id: cases.id }).from(cases).where(and(eq(cases.id, matter.caseId), caseVisibility(owner)));
	return seen !== undefined;
}
