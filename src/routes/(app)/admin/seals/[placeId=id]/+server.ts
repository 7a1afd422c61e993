import { requireRole } from '$lib/server/auth/guards';
import { pngResponse } from '$lib/server/agreements/image-response';
import { getSeal } from '$lib/server/agreements/list-seals';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** A committee's seal image, for the admins who manage it. */
export const GET: RequestHandler = async (event) => {
	const actor = requireRole(event, 'admin');
	return pngResponse(async () => getSeal(await getDb(), actor, event.params.placeId));
};
