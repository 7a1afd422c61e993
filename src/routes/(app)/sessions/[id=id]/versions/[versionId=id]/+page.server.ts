import { error, redirect } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { reanchorDocument } from '$lib/server/comments/reanchor-threads';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { recordDocName } from '$lib/server/mediation/document-access';
import { getRecordSession } from '$lib/server/mediation/versions/get-record-session';
import { getVersion } from '$lib/server/mediation/versions/get-version';
import { restoreVersion } from '$lib/server/mediation/versions/restore-version';
import type { Actions, PageServerLoad } from './$types';

function notFoundOrForbidden(err: unknown): never {
	if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
	if (err instanceof AppError && err.code === 'forbidden') error(403, 'forbidden');
	throw err;
}

/** One version of a record, read-only, rendered on the server from its snapshot. */
export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	const db = await getDb();
	try {
		const record = await getRecordSession(db, viewer, Number(event.params.id));
		const { version, blocks, access } = await getVersion(db, viewer, record.session.id, Number(event.params.versionId));
		return { record, version, blocks, canRestore: access === 'write', restored: event.url.searchParams.has('restored') };
	} catch (err) {
		notFoundOrForbidden(err);
	}
};

export const actions: Actions = {
	restore: async (event) => {
		const viewer = requireUser(event);
		const sessionId = Number(event.params.id);
		try {
			const db = await getDb();
			const ip = clientAddress(event);
			await restoreVersion(db, viewer, { sessionId, versionId: Number(event.params.versionId) }, { ip, collab: event.locals.collab });
			// The restore deleted the text the record's comment threads point into: give them positions in
			// the restored text at once, while their quotes still read as they did (the next edit of those
			// words would lose them). Threads are the comments area's, which stands above mediation's
			// restore (tests/unit/layering.test.ts), so the route puts the two together.
			await reanchorDocument(db, event.locals.collab, recordDocName(sessionId), { actorId: viewer.id, ip, cause: 'restore' });
		} catch (err) {
			notFoundOrForbidden(err);
		}
		redirect(303, `/sessions/${sessionId}/versions/${event.params.versionId}?restored`);
	}
};
