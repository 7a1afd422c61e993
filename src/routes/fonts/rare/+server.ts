import { dbRateLimiter } from '$lib/server/auth/rate-limit';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { parseChainIndex, parseCodePoints, RARE_FONT_PER_ADDRESS, rareFontSubset } from '$lib/server/documents/rare-font';
import type { RequestHandler } from './$types';

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
	new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });

export const GET: RequestHandler = async (event) => {
	// Counted before anything else, in one statement: parallel requests cannot slip past the budget.
	const limit = await dbRateLimiter(await getDb(), RARE_FONT_PER_ADDRESS).take(clientAddress(event));
	if (!limit.ok) return text(429, 'Too many font requests\n', { 'retry-after': String(Math.ceil(limit.retryAfterMs / 1000)) });

	const query = event.url.searchParams;
	const chainIndex = parseChainIndex(query.get('f'));
	const codePoints = parseCodePoints(query.get('c'));
	if (chainIndex === null || !codePoints || [...query.keys()].length !== 2) {
		return text(400, 'Expected f=0|1|2 and c= rare Han code points: lowercase hex, ascending, dot-separated, at most 64\n');
	}
	const font = await rareFontSubset(chainIndex, codePoints);
	return new Response(font as BodyInit, {
		headers: {
			// Noto Sans Hans has CFF outlines, the Hanazono cuts TrueType ones.
			'content-type': chainIndex === 0 ? 'font/otf' : 'font/ttf',
			'content-length': String(font.byteLength),
			// The URL names exactly the characters, so its answer never changes.
			'cache-control': 'public, max-age=31536000, immutable',
			'x-content-type-options': 'nosniff'
		}
	});
};
