import { and, asc, count, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases, supervisionOrders } from '../db/schema';
import { orderVisibility, selectOrders, toOrderSummary, type OrderSummary } from './order-row';
import { PAGE_SIZE } from './rules';

export const ORDER_FILTERS = ['open', 'overdue', 'answered', 'closed', 'all'] as const;
export type OrderFilter = (typeof ORDER_FILTERS)[number];

export interface OrderPage {
	orders: OrderSummary[];
	total: number;
	page: number;
	pageSize: number;
}

function filterCondition(filter: OrderFilter, today: string): SQL | undefined {
	switch (filter) {
		case 'overdue':
			return and(eq(supervisionOrders.status, 'open'), lt(supervisionOrders.dueOn, today));
		case 'all':
			return undefined;
		default:
			return eq(supervisionOrders.status, filter);
	}
}

export interface ListOrdersOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Supervision orders the viewer may read (see `orderVisibility`): a supervisor's whole scope, anyone
 * else's own. Open and overdue lists run by time limit; answered and closed ones newest first.
 */
export async function listOrders(db: Db, actor: Viewer, query: { filter: OrderFilter; page: number }, options: ListOrdersOptions = {}): Promise<OrderPage> {
	const { now = new Date() } = options;
	const today = shanghaiDate(now);
	const where = and(orderVisibility(actor), filterCondition(query.filter, today));
	const order = query.filter === 'open' || query.filter === 'overdue' ? [asc(supervisionOrders.dueOn)] : [desc(supervisionOrders.createdAt)];
	const [rows, [{ total }]] = await Promise.all([
		selectOrders(db)
			.where(where)
			.orderBy(...order, desc(supervisionOrders.id))
			.limit(PAGE_SIZE)
			.offset((query.page - 1) * PAGE_SIZE),
		db.select({ total: count() }).from(supervisionOrders).innerJoin(cases, eq(cases.id, supervisionOrders.caseId)).where(where)
	]);
	return { orders: rows.map((r) => toOrderSummary(r, today)), total, page: query.page, pageSize: PAGE_SIZE };
}
