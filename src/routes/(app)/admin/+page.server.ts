import { requireRole } from '$lib/server/auth/guards';
import { smsOutboxEnabled } from '$lib/server/env';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	return { scope: actor.placeTrail.join(' › '), outbox: smsOutboxEnabled() };
};
