import { error } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { downloadCopy } from '$lib/server/documents/download-copy';
import { pdfResponse } from '$lib/server/documents/pdf-response';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import type { RequestHandler } from './$types';

/**
 * One holder's PDF copy of the case's effective agreement: `holder` is a party id (that party's own
 * copy) or "committee". The same file every time (stored at first download).
 */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	let copy;
	try {
		copy = await downloadCopy(await getDb(), viewer, event.params.id, event.params.holder, event.url.origin, { ip: clientAddress(event) });
	} catch (err) {
		if (err instanceof AppError) error(HTTP_STATUS[err.code], err.fields._ ?? err.code);
		throw err;
	}
	return pdfResponse(copy);
};
