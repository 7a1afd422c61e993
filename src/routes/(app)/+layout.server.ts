import { requireUser } from '$lib/server/auth/guards';
import { appNav } from '$lib/server/people/app-nav';
import type { LayoutServerLoad } from './$types';

// Navigation only. Each page's own load and actions still call their guards (a layout protects nothing).
export const load: LayoutServerLoad = async (event) => {
	const user = requireUser(event);
	return { user, nav: appNav(user) };
};
