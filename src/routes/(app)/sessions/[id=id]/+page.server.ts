import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { callLinkParties } from '$lib/server/calls/call-link-parties';
import { createCallLink } from '$lib/server/calls/create-call-link';
import { callsRelayed } from '$lib/server/start-calls';
import { commentHistory } from '$lib/server/comments/comment-history';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { formFailure } from '$lib/server/http/form-action';
import { t } from '$lib/i18n';
import { recordUser } from '$lib/server/mediation/record-identity';
import { getRecordSession } from '$lib/server/mediation/versions/get-record-session';
import { listVersions } from '$lib/server/mediation/versions/list-versions';
import { saveVersion } from '$lib/server/mediation/versions/save-version';
import type { Actions, PageServerLoad } from './$types';

/**
 * A refusal with its words, in the viewer's language: the live record does not import `t()` in the
 * browser, which would ship every message of the app with it, and the page must stay light
 * (tests/e2e/budgets.ts). `said` holds the message and each field error as text.
 */
function worded<T extends { message: string | null; fields: Record<string, string> }>(failure: ActionFailure<T>) {
	const { message, fields } = failure.data;
	const said: Record<string, string> = { message: t(message) };
	for (const [name, key] of Object.entries(fields)) said[name] = t(key);
	return fail(failure.status, { ...failure.data, said });
}

/** A session's live record. Anyone who may not see the case gets the same 404 as for a missing id. */
export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	const db = await getDb();
	const sessionId = Number(event.params.id);
	try {
		const record = await getRecordSession(db, viewer, sessionId);
		return {
			record,
			versions: await listVersions(db, viewer, sessionId),
			commentHistory: await commentHistory(db, record.docName),
			me: recordUser(viewer, record.capacity),
			call: {
				room: `session:${sessionId}`,
				open: record.session.status === 'scheduled' || record.session.status === 'in_progress',
				relayed: callsRelayed(),
				linkParties: await callLinkParties(db, viewer, sessionId)
			}
		};
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
};

export const actions: Actions = {
	callLink: async (event) => {
		const viewer = requireUser(event);
		const form = await event.request.formData();
		const partyId = String(form.get('partyId') ?? '');
		try {
			const made = await createCallLink(await getDb(), viewer, Number(event.params.id), partyId, event.url.origin, { ip: clientAddress(event) });
			return { action: 'callLink', link: made.link, texted: made.texted, partyId };
		} catch (err) {
			return worded(formFailure(err, { partyId }, { action: 'callLink', errorPage: ['not_found', 'forbidden'] }));
		}
	},
	saveVersion: async (event) => {
		const viewer = requireUser(event);
		const form = await event.request.formData();
		const name = String(form.get('name') ?? '');
		try {
			const saved = await saveVersion(await getDb(), viewer, { sessionId: Number(event.params.id), name }, { ip: clientAddress(event), collab: event.locals.collab });
			return { created: saved.name };
		} catch (err) {
			return worded(formFailure(err, { name }, { errorPage: ['not_found', 'forbidden'] }));
		}
	}
};
