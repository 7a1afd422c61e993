import { error } from '@sveltejs/kit';
import { AppError, HTTP_STATUS } from '../errors';

/**
 * Serves a stored PNG (signature or seal) read by `read`, which checks who is asking: expected
 * failures become their HTTP status, and the image is never kept by shared caches or sniffed as
 * anything but a PNG.
 */
export async function pngResponse(read: () => Promise<Uint8Array>): Promise<Response> {
	try {
		const png = await read();
		return new Response(Buffer.from(png), { headers: { 'content-type': 'image/png', 'cache-control': 'private, no-cache', 'x-content-type-options': 'nosniff' } });
	} catch (err) {
		if (err instanceof AppError) error(HTTP_STATUS[err.code], err.code);
		throw err;
	}
}
