import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { dbRateLimiter } from '$lib/server/auth/rate-limit';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { NOTICE_ACTIONS } from '$lib/server/notices/budget';
import { markNoticeRead } from '$lib/server/notices/mark-read';
import type { RequestHandler } from './$types';

/**
 * Opening a notice: marks it read and goes where it leads. A link (not a form) so it opens like any other
 * from an SMS or the inbox; marking one's own notice read is the only effect, so a forged link can do
 * no more than that, and only to the signed-in person's own notices.
 */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	const db = await getDb();
	if (!(await dbRateLimiter(db, NOTICE_ACTIONS).consume(`user:${viewer.id}`))) error(429, 'too_many_requests');
	let path: string;
	try {
		({ path } = await markNoticeRead(db, viewer, event.params.id));
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
	redirect(303, path);
};
