import { error } from '@sveltejs/kit';
import { downloadCircular } from '$lib/server/assessment/circular-pdf';
import { mayReadCircular, parsePeriod } from '$lib/server/assessment/rules';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { attachmentDisposition } from '$lib/server/documents/copy-file-name';
import { pageError } from '$lib/server/http/form-action';
import type { RequestHandler } from './$types';

/** The circular of a period as a PDF; each download audited with the weights version it used. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	if (!mayReadCircular(viewer)) error(403, 'forbidden');
	const period = parsePeriod(event.url.searchParams.get('period'));
	if (!period) error(400, 'bad period');
	const { bytes, fileName } = await downloadCircular(await getDb(), viewer, period, { ip: clientAddress(event) }).catch(pageError);
	return new Response(bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/pdf',
			'content-length': String(bytes.length),
			'content-disposition': attachmentDisposition(fileName, `circular-${period.key}.pdf`),
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
