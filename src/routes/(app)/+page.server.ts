import { hasRole, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { listMyOrders } from '$lib/server/supervision/list-my-orders';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// Only mediators and supervisors can be named owners of supervision orders (督办单).
	const supervisionInbox = hasRole(user, 'mediator', 'supervisor') ? await listMyOrders(await getDb(), user) : null;
	return { user, supervisionInbox };
};
