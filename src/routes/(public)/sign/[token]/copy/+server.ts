import { error } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { downloadCopyByInvitation } from '$lib/server/documents/download-copy-by-invitation';
import { pdfResponse } from '$lib/server/documents/pdf-response';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import type { RequestHandler } from './$types';

/** The signer's own PDF copy, from their personal signing link, once the agreement is in force. */
export const GET: RequestHandler = async (event) => {
	let copy;
	try {
		copy = await downloadCopyByInvitation(await getDb(), event.params.token, event.url.origin, clientAddress(event));
	} catch (err) {
		if (err instanceof AppError) error(HTTP_STATUS[err.code], err.fields._ ?? err.code);
		throw err;
	}
	return pdfResponse(copy);
};
