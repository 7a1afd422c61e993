import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { getSignatureImage } from '$lib/server/agreements/get-images';
import { getDb } from '$lib/server/db';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import type { RequestHandler } from './$types';

/** A signature's PNG, for those who may see the case's agreement (never cached by shared caches). */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	try {
		const png = await getSignatureImage(await getDb(), viewer, event.params.id, event.params.signatureId);
		return new Response(Buffer.from(png), { headers: { 'content-type': 'image/png', 'cache-control': 'private, max-age=300', 'x-content-type-options': 'nosniff' } });
	} catch (err) {
		if (err instanceof AppError) error(HTTP_STATUS[err.code], err.code);
		throw err;
	}
};
