import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { caseVisibility } from '../cases/scope';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { caseEvents, cases, supervisionOrders } from '../db/schema';
import { AppError } from '../errors';
import { loadViewer } from '../people/load-viewer';
import { parseInput } from '../validation';
import { assertSupervisor } from './case-row';
import { ownerCandidates } from './owner-candidates';
import { caseOpenForSupervision, issueOrderInput } from './rules';

export interface IssueOrderOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A supervisor pushes a matter (督办): names an owner, a time limit and what is expected. The case
 * must be in the supervisor's scope (else "not found", as if it did not exist) and still open; the
 * owner must be a mediator or supervisor of the matter's area who can see it. The order, a staff-only
 * timeline entry, the case's activity time and the audit row commit together.
 */
export async function issueOrder(db: Db, actor: Viewer, raw: unknown, options: IssueOrderOptions = {}): Promise<{ id: number }> {
	const { ip, now = new Date() } = options;
	assertSupervisor(actor);
	const input = parseInput(issueOrderInput(shanghaiDate(now)), raw);

	return db.transaction(async (tx) => {
		const [c] = await tx
			.select({
				id: cases.id,
				status: cases.status,
				nextDueOn: cases.nextDueOn,
				countyId: cases.countyId,
				townshipId: cases.townshipId,
				villageId: cases.villageId,
				mediatorId: cases.mediatorId
			})
			.from(cases)
			.where(and(eq(cases.id, input.caseId), caseVisibility(actor)))
			.for('update');
		if (!c) throw new AppError('not_found');
		if (!caseOpenForSupervision(c)) throw new AppError('conflict', { _: 'err_sv_case_closed' });

		if (!(await ownerMaySeeCase(tx, c, input.ownerId))) throw new AppError('invalid', { ownerId: 'err_sv_owner_invalid' });

		const [order] = await tx
			.insert(supervisionOrders)
			.values({ caseId: c.id, issuedById: actor.id, ownerId: input.ownerId, dueOn: input.dueOn, note: input.note, createdAt: now })
			.returning({ id: supervisionOrders.id });
		await tx.insert(caseEvents).values({
			caseId: c.id,
			at: now,
			actorId: actor.id,
			kind: 'supervision_issue',
			note: input.note,
			data: { orderId: order.id, ownerId: input.ownerId, dueOn: input.dueOn },
			public: false
		});
		// Being pushed is activity: the matter leaves the "stalled" list until it goes quiet again.
		await tx.update(cases).set({ lastActivityAt: now }).where(eq(cases.id, c.id));
		await recordAudit(tx, {
			action: 'supervision.issue',
			actorId: actor.id,
			subjectType: 'case',
			subjectId: c.id,
			ip,
			data: { orderId: order.id, ownerId: input.ownerId, dueOn: input.dueOn }
		});
		return { id: order.id };
	});
}

/** The owner qualifies by role and area, and their own scope really shows them the case. */
async function ownerMaySeeCase(db: Db, c: Parameters<typeof ownerCandidates>[1] & { id: number }, ownerId: number): Promise<boolean> {
	const [candidate] = await ownerCandidates(db, c, ownerId);
	if (!candidate) return false;
	const owner = await loadViewer(db, ownerId);
	if (!owner) return false;
	const [seen] = await db.select({ id: cases.id }).from(cases).where(and(eq(cases.id, c.id), caseVisibility(owner)));
	return seen !== undefined;
}
