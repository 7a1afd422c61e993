import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { listReceptionQueue } from '$lib/server/reception/list-reception-queue';
import { mayOpenReceptionQueue } from '$lib/server/reception/rules';
import type { PageServerLoad } from './$types';

/** The video reception queue: the requests this desk (township office or department on duty) takes. */
export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayOpenReceptionQueue(viewer)) error(403, 'forbidden');
	return { queue: await listReceptionQueue(await getDb(), viewer) };
};
