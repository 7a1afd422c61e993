import { requireUser } from '$lib/server/auth/guards';
import { getSealImage } from '$lib/server/agreements/get-images';
import { pngResponse } from '$lib/server/agreements/image-response';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** The committee seal on this case's agreement, for those who may see it. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	return pngResponse(async () => getSealImage(await getDb(), viewer, event.params.id));
};
