import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { contentDisposition, getAttachment } from '$lib/server/cases/work/get-attachment';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import type { RequestHandler } from './$types';

/**
 * Downloads one attachment, recorded in the audit log. The case's visibility is checked on every request, the type sent is the one
 * found in the file's content at upload, and the browser is told to save it rather than render it, not
 * to sniff another type, and to run nothing in it.
 */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	let file;
	try {
		file = await getAttachment(await getDb(), viewer, event.params.id, event.params.attachmentId, { ip: clientAddress(event) });
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
	const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
	return new Response(body, {
		headers: {
			'Content-Type': file.mimeType,
			'Content-Length': String(file.sizeBytes),
			'Content-Disposition': contentDisposition(file.fileName),
			'X-Content-Type-Options': 'nosniff',
			'Content-Security-Policy': "default-src 'none'; sandbox",
			'Cache-Control': 'private, no-store'
		}
	});
};
