import { and, desc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { caseVisibility } from '../cases/scope';
import { addDays, shanghaiDate } from '../cases/shanghai-date';
import type { Db } from '../db';
import { cases, supervisionOrders } from '../db/schema';
import { AppError } from '../errors';
import { assertSupervisor, caseRowColumns, categoryJoin, placeJoin, toSupervisedCase, type SupervisedCase } from './case-row';
import { selectOrders, toOrderSummary, type OrderSummary } from './order-row';
import { ownerCandidates, type OwnerCandidate } from './owner-candidates';
import { caseOpenForSupervision, MAX_ORDER_DAYS } from './rules';

export interface OrderForm {
	case: SupervisedCase;
	/** False for a refused or archived matter with no clock running: no new order. */
	open: boolean;
	candidates: OwnerCandidate[];
	/** Orders already issued on the case, newest first. */
	orders: OrderSummary[];
	/** The allowed range of the time limit. */
	minDue: string;
	maxDue: string;
}

export interface GetOrderFormOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** What the issue form needs about a case in the supervisor's scope; any other id is "not found". */
export async function getOrderForm(db: Db, actor: Viewer, caseId: number, options: GetOrderFormOptions = {}): Promise<OrderForm> {
	const { now = new Date() } = options;
	assertSupervisor(actor);
	if (!Number.isSafeInteger(caseId) || caseId <= 0) throw new AppError('not_found');
	const [c] = await db
		.select({
			...caseRowColumns,
			countyId: cases.countyId,
			townshipId: cases.townshipId,
			villageId: cases.villageId,
			mediatorId: cases.mediatorId
		})
		.from(cases)
		.innerJoin(...placeJoin)
		.innerJoin(...categoryJoin)
		.where(and(eq(cases.id, caseId), caseVisibility(actor)));
	if (!c) throw new AppError('not_found');
	const today = shanghaiDate(now);
	const [candidates, orders] = await Promise.all([
		ownerCandidates(db, c),
		selectOrders(db).where(eq(supervisionOrders.caseId, c.id)).orderBy(desc(supervisionOrders.id))
	]);
	return {
		case: toSupervisedCase(c, today, now),
		open: caseOpenForSupervision(c),
		candidates,
		orders: orders.map((o) => toOrderSummary(o, today)),
		minDue: today,
		maxDue: addDays(today, MAX_ORDER_DAYS)
	};
}
