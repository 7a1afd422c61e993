import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { dbRateLimiter } from '$lib/server/auth/rate-limit';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { CALENDAR_FILES } from '$lib/server/notices/budget';
import { sessionCalendar } from '$lib/server/mediation/sessions/session-calendar';
import type { RequestHandler } from './$types';

/** A session's calendar file. Someone who may not see the case gets the same 404 as for a missing id. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireUser(event);
	const db = await getDb();
	if (!(await dbRateLimiter(db, CALENDAR_FILES).consume(`user:${viewer.id}`))) error(429, 'too_many_requests');
	try {
		const { fileName, body } = await sessionCalendar(db, viewer, event.params.id, event.url.origin);
		return new Response(body, {
			headers: {
				'content-type': 'text/calendar; charset=utf-8',
				'content-disposition': `attachment; filename="${fileName}"`,
				'cache-control': 'private, no-store'
			}
		});
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
};
