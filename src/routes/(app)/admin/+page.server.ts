import { requireRole } from '$lib/server/auth/guards';
import { mayViewCoverage } from '$lib/server/coverage/rules';
import { mayViewRoster } from '$lib/server/roster/rules';
import { mayConfigureWeights } from '$lib/server/assessment/rules';
import { smsOutboxEnabled } from '$lib/server/env';
import { getDb } from '$lib/server/db';
import { sealingNotice } from '$lib/server/sealing/list-certificates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	return {
		scope: actor.placeTrail.join(' › '),
		outbox: smsOutboxEnabled(),
		coverage: mayViewCoverage(actor),
		roster: mayViewRoster(actor),
		assessment: mayConfigureWeights(actor),
		sealing: await sealingNotice(await getDb(), actor)
	};
};
