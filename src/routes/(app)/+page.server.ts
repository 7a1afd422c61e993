import { hasRole, requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { listMyCases } from '$lib/server/parties/list-my-cases';
import { listReminders } from '$lib/server/outcomes/list-reminders';
import { listMyOrders } from '$lib/server/supervision/list-my-orders';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// Only mediators and supervisors can be named owners of supervision orders (督办单).
	const supervisionInbox = hasRole(user, 'mediator', 'supervisor') ? await listMyOrders(await getDb(), user) : null;
	// A mediator follows up the agreements of the cases assigned to them (人民调解法 arts. 31, 33).
	const reminders = hasRole(user, 'mediator') ? await listReminders(await getDb(), user) : [];
	const myCases = hasRole(user, 'party') ? await listMyCases(await getDb(), user) : null;
	return { user, supervisionInbox, reminders, myCases };
};
