import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { compareVersions } from '$lib/server/mediation/versions/compare-versions';
import { getRecordSession } from '$lib/server/mediation/versions/get-record-session';
import type { PageServerLoad } from './$types';

/**
 * Two versions of a record compared (`?from=<id>&to=<id|now>`), rendered on the server. Whoever may
 * read the record may compare; a version of another record, a malformed id or a case out of reach
 * is the same 404.
 */
export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	const db = await getDb();
	try {
		const record = await getRecordSession(db, viewer, Number(event.params.id));
		const { searchParams } = event.url;
		const comparison = await compareVersions(
			db,
			viewer,
			{ sessionId: record.session.id, from: searchParams.get('from'), to: searchParams.get('to') },
			{ collab: event.locals.collab }
		);
		return { record, comparison };
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
};
