import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { caseVisibility } from '../cases/scope';
import type { Tx } from '../db';
import { caseEvents, cases, supervisionOrders } from '../db/schema';
import { AppError } from '../errors';

/**
 * Locks an order for a change by `actor`: the owner answering (`asOwner`), or a supervisor closing.
 * Either way its case must be in the actor's scope; an order they may not act on is "not found", so
 * an id reveals nothing about orders elsewhere.
 */
export async function lockOrder(tx: Tx, actor: Viewer, orderId: number, asOwner: boolean) {
	const [order] = await tx
		.select({ id: supervisionOrders.id, caseId: supervisionOrders.caseId, status: supervisionOrders.status })
		.from(supervisionOrders)
		.innerJoin(cases, eq(cases.id, supervisionOrders.caseId))
		.where(and(eq(supervisionOrders.id, orderId), caseVisibility(actor), asOwner ? eq(supervisionOrders.ownerId, actor.id) : undefined))
		.for('update', { of: supervisionOrders });
	if (!order) throw new AppError('not_found');
	return order;
}

/** The staff-only timeline entry and the audit row of an answer or a closing, in the step's transaction. */
export async function recordOrderStep(
	tx: Tx,
	step: { kind: 'answer' | 'close'; actor: Viewer; order: { id: number; caseId: number }; note: string | null; ip?: string; at: Date }
) {
	await tx.insert(caseEvents).values({
		caseId: step.order.caseId,
		at: step.at,
		actorId: step.actor.id,
		kind: `supervision_${step.kind}`,
		note: step.note,
		data: { orderId: step.order.id },
		public: false
	});
	await recordAudit(tx, {
		action: `supervision.${step.kind}`,
		actorId: step.actor.id,
		subjectType: 'case',
		subjectId: step.order.caseId,
		ip: step.ip,
		data: { orderId: step.order.id }
	});
}
