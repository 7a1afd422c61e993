import { error, redirect } from '@sveltejs/kit';
import { SIGNING_GRANT_COOKIE } from '$lib/server/agreements/signing-invitation';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { downloadCopyByInvitation } from '$lib/server/documents/download-copy-by-invitation';
import { pdfResponse } from '$lib/server/documents/pdf-response';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import type { RequestHandler } from './$types';

/**
 * The signer's own PDF copy, from their personal signing link, once the agreement is in force and a
 * fresh one-time code has been entered on the link's page (its grant cookie is scoped to the link's
 * path, which includes this one). Without the grant the party is sent to the page to get a code.
 */
export const GET: RequestHandler = async (event) => {
	let copy;
	try {
		copy = await downloadCopyByInvitation(await getDb(), event.params.token, event.cookies.get(SIGNING_GRANT_COOKIE), event.url.origin, { ip: clientAddress(event) });
	} catch (err) {
		if (err instanceof AppError && err.fields._ === 'err_sign_code_needed') redirect(303, `/sign/${event.params.token}`);
		if (err instanceof AppError) error(HTTP_STATUS[err.code], err.fields._ ?? err.code);
		throw err;
	}
	return pdfResponse(copy);
};
