import { requireUser } from '$lib/server/auth/guards';
import { getAgreementChanges } from '$lib/server/agreements/agreement-changes';
import { getDb } from '$lib/server/db';
import { pageError } from '$lib/server/http/form-action';
import type { PageServerLoad } from './$types';

/** The agreement against its last unfrozen text, for whoever may read the agreement. */
export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	return getAgreementChanges(await getDb(), viewer, event.params.id, { collab: event.locals.collab }).catch(pageError);
};
