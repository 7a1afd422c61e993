import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { readiness } from '$lib/server/health/readiness';
import type { RequestHandler } from './$types';

/**
 * Readiness: 200 when the instance can serve (its database answers; with Redis configured, `degraded`
 * while Redis does not), 503 with the failing check otherwise.
 */
export const GET: RequestHandler = async (event) => {
	const result = await readiness(getDb, { relay: event.locals.collab?.relay });
	return json(result, { status: result.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
