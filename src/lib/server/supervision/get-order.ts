import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { supervisionOrders } from '../db/schema';
import { AppError } from '../errors';
import { orderVisibility, selectOrders, toOrderSummary, type OrderSummary } from './order-row';

export interface OrderDetail extends OrderSummary {
	note: string;
	answer: string | null;
	/** What the viewer may do now. */
	canAnswer: boolean;
	canClose: boolean;
}

export interface GetOrderOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** One order the viewer may read (see `orderVisibility`); any other id is "not found". */
export async function getOrder(db: Db, actor: Viewer, orderId: number, options: GetOrderOptions = {}): Promise<OrderDetail> {
	const { now = new Date() } = options;
	if (!Number.isSafeInteger(orderId) || orderId <= 0) throw new AppError('not_found');
	const [row] = await selectOrders(db, { note: supervisionOrders.note, answer: supervisionOrders.answer }).where(
		and(eq(supervisionOrders.id, orderId), orderVisibility(actor))
	);
	if (!row) throw new AppError('not_found');
	const supervises = actor.roles.some((r) => r.role === 'supervisor');
	const { note, answer, ...summary } = row;
	return {
		...toOrderSummary(summary, shanghaiDate(now)),
		note,
		answer,
		canAnswer: row.status === 'open' && row.ownerId === actor.id,
		canClose: row.status === 'answered' && supervises
	};
}
