import { and, asc, count, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases, supervisionOrders } from '../db/schema';
import { selectOrders, toOrderSummary, type OrderSummary } from './order-row';

export interface MyOrders {
	orders: OrderSummary[];
	/** All open orders of the viewer; `orders` holds the most urgent `limit` of them. */
	total: number;
}

export interface ListMyOrdersOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The open supervision orders naming the viewer as owner, for their home page: the earliest time
 * limit first, so overdue ones lead. An answered order leaves this list. Orders on a case the owner
 * can no longer see are left out (they could not answer them either).
 */
export async function listMyOrders(db: Db, actor: Viewer, limit = 10, options: ListMyOrdersOptions = {}): Promise<MyOrders> {
	const { now = new Date() } = options;
	const where = and(eq(supervisionOrders.ownerId, actor.id), eq(supervisionOrders.status, 'open'), caseVisibility(actor));
	const [rows, [{ total }]] = await Promise.all([
		selectOrders(db).where(where).orderBy(asc(supervisionOrders.dueOn), asc(supervisionOrders.id)).limit(limit),
		db.select({ total: count() }).from(supervisionOrders).innerJoin(cases, eq(cases.id, supervisionOrders.caseId)).where(where)
	]);
	const today = shanghaiDate(now);
	return { orders: rows.map((r) => toOrderSummary(r, today)), total };
}
