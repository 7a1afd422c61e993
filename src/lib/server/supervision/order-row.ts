import { and, eq, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { caseVisibility } from '../cases/scope';
import { cases, supervisionOrders, users } from '../db/schema';
import { orderIsOverdue, type OrderStatus } from './rules';

/** A supervision order as lists and the home page show it. */
export interface OrderSummary {
	id: number;
	caseId: number;
	caseNumber: string;
	caseTitle: string;
	issuerName: string;
	ownerId: number;
	ownerName: string;
	dueOn: string;
	status: OrderStatus;
	/** Unanswered after its time limit. */
	overdue: boolean;
	createdAt: Date;
	answeredAt: Date | null;
	closedAt: Date | null;
}

const issuer = alias(users, 'order_issuer');
const owner = alias(users, 'order_owner');

export const orderColumns = {
	id: supervisionOrders.id,
	caseId: supervisionOrders.caseId,
	caseNumber: cases.number,
	caseTitle: cases.title,
	issuerName: issuer.name,
	ownerId: supervisionOrders.ownerId,
	ownerName: owner.name,
	dueOn: supervisionOrders.dueOn,
	status: supervisionOrders.status,
	createdAt: supervisionOrders.createdAt,
	answeredAt: supervisionOrders.answeredAt,
	closedAt: supervisionOrders.closedAt
};

/** Orders with their case number and title and the issuer's and owner's names; add `.where` and the rest. */
export function selectOrders<E extends Record<string, SQL | AnyPgColumn>>(db: Db, extra?: E) {
	return db
		.select({ ...orderColumns, ...(extra as E) })
		.from(supervisionOrders)
		.innerJoin(cases, eq(cases.id, supervisionOrders.caseId))
		.innerJoin(issuer, eq(issuer.id, supervisionOrders.issuedById))
		.innerJoin(owner, eq(owner.id, supervisionOrders.ownerId));
}

/**
 * The orders a viewer may read: those on cases in their scope, all of them for a supervisor (the
 * issuer and colleagues who cover the case) and only their own for anyone else.
 */
export function orderVisibility(actor: Viewer): SQL {
	const supervises = actor.roles.some((r) => r.role === 'supervisor');
	return and(caseVisibility(actor), supervises ? undefined : eq(supervisionOrders.ownerId, actor.id))!;
}

export function toOrderSummary(r: Omit<OrderSummary, 'overdue'>, today: string): OrderSummary {
	return { ...r, overdue: orderIsOverdue(r, today) };
}
