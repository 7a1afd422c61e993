import { requireUser } from '$lib/server/auth/guards';
import { listOutbox } from '$lib/server/agreements/list-outbox';
import { getDb } from '$lib/server/db';
import { pageError } from '../../panel/form';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	return listOutbox(await getDb(), viewer, event.params.id).catch(pageError);
};
