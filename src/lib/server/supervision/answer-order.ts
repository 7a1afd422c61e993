import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { supervisionOrders } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { lockOrder, recordOrderStep } from './order-step';
import { answerOrderInput } from './rules';

export interface AnswerOrderOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The owner reports back on an open order (办理情况反馈). Only the named owner may answer, and only
 * while the order is open; the answer goes on the staff timeline with an audit row.
 */
export async function answerOrder(db: Db, actor: Viewer, raw: unknown, options: AnswerOrderOptions = {}): Promise<void> {
	const { ip, now = new Date() } = options;
	const input = parseInput(answerOrderInput, raw);
	await db.transaction(async (tx) => {
		const order = await lockOrder(tx, actor, input.orderId, true);
		if (order.status !== 'open') throw new AppError('conflict', { _: 'err_sv_not_open' });
		await tx.update(supervisionOrders).set({ status: 'answered', answer: input.answer, answeredAt: now }).where(eq(supervisionOrders.id, order.id));
		await recordOrderStep(tx, { kind: 'answer', actor, order, note: input.answer, ip, at: now });
	});
}
