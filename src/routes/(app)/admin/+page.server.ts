import { requireRole } from '$lib/server/auth/guards';
import { mayViewCoverage } from '$lib/server/coverage/rules';
import { mayViewRoster } from '$lib/server/roster/rules';
import { smsOutboxEnabled } from '$lib/server/env';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	return { scope: actor.placeTrail.join(' › '), outbox: smsOutboxEnabled(), coverage: mayViewCoverage(actor), roster: mayViewRoster(actor) };
};
