import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { countUnread } from '$lib/server/notices/count-unread';
import { appNav } from '$lib/server/people/app-nav';
import type { LayoutServerLoad } from './$types';

// Navigation only. Each page's own load and actions still call their guards (a layout protects nothing).
export const load: LayoutServerLoad = async (event) => {
	const user = requireUser(event);
	// Depends on 'app:notices' so marking notices read (an action elsewhere) refreshes the header count.
	event.depends('app:notices');
	return { user, nav: appNav(user), unread: await countUnread(await getDb(), user.id) };
};
