import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { countUnread } from '$lib/server/notices/count-unread';
import { appNav } from '$lib/server/app-nav';
import type { LayoutServerLoad } from './$types';

// Navigation only. Each page's own load and actions still call their guards (a layout protects nothing).
export const load: LayoutServerLoad = async (event) => {
	const user = requireUser(event);
	// Recounted after every form action (SvelteKit reruns loads then), so declaring or marking read updates it.
	return { user, nav: appNav(user), unread: await countUnread(await getDb(), user.id) };
};
