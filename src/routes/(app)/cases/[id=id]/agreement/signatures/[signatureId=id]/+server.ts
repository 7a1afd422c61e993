import { requireUser } from '$lib/server/auth/guards';
import { getSignatureImage } from '$lib/server/agreements/get-images';
import { pngResponse } from '$lib/server/agreements/image-response';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** A signature's PNG, for those who may see the case's agreement. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	return pngResponse(async () => getSignatureImage(await getDb(), viewer, event.params.id, event.params.signatureId));
};
