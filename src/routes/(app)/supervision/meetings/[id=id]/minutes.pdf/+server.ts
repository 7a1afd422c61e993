import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { attachmentDisposition } from '$lib/server/documents/copy-file-name';
import { downloadMinutes } from '$lib/server/meetings/download-minutes';
import { requireMeetingHolder } from '$lib/server/meetings/guard';
import { pageError } from '$lib/server/http/form-action';
import type { RequestHandler } from './$types';

/** The minutes as a PDF, for the supervisors who may see the meeting; each download audited. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireMeetingHolder(event);
	const { bytes, fileName } = await downloadMinutes(await getDb(), viewer, event.params.id, { ip: clientAddress(event) }).catch(pageError);
	return new Response(bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/pdf',
			'content-length': String(bytes.length),
			'content-disposition': attachmentDisposition(fileName, `minutes-${event.params.id}.pdf`),
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
