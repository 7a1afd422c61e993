import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { supervisionOrders } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { assertSupervisor } from './case-row';
import { lockOrder, recordOrderStep } from './order-step';
import { closeOrderInput } from './rules';

export interface CloseOrderOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A supervisor in scope (the issuer or a colleague who covers the case) closes an answered order,
 * optionally with a remark. An unanswered order stays open: the owner answers first, even if only
 * to say the order reached the wrong person.
 */
export async function closeOrder(db: Db, actor: Viewer, raw: unknown, options: CloseOrderOptions = {}): Promise<void> {
	const { ip, now = new Date() } = options;
	assertSupervisor(actor);
	const input = parseInput(closeOrderInput, raw);
	await db.transaction(async (tx) => {
		const order = await lockOrder(tx, actor, input.orderId, false);
		if (order.status !== 'answered') throw new AppError('conflict', { _: order.status === 'open' ? 'err_sv_not_answered' : 'err_sv_already_closed' });
		await tx.update(supervisionOrders).set({ status: 'closed', closedAt: now }).where(eq(supervisionOrders.id, order.id));
		await recordOrderStep(tx, { kind: 'close', actor, order, note: input.note, ip, at: now });
	});
}
