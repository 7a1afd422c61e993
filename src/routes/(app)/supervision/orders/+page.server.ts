import { requireRole } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { listOrders, ORDER_FILTERS } from '$lib/server/supervision/list-orders';
import { parseListQuery } from '$lib/server/supervision/rules';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// Owners are mediators or supervisors; the list shows a supervisor's area and anyone else's own orders.
	const user = requireRole(event, 'supervisor', 'mediator');
	const filter = ORDER_FILTERS.find((f) => f === event.url.searchParams.get('status')) ?? 'open';
	const { page } = parseListQuery(event.url.searchParams);
	const supervises = user.roles.some((r) => r.role === 'supervisor');
	return { filter, supervises, orders: await listOrders(await getDb(), user, { filter, page }) };
};
