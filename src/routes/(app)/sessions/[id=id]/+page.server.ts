import { error, fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import { recordUser } from '$lib/server/mediation/record-identity';
import { getRecordSession } from '$lib/server/mediation/versions/get-record-session';
import { listVersions } from '$lib/server/mediation/versions/list-versions';
import { saveVersion } from '$lib/server/mediation/versions/save-version';
import type { Actions, PageServerLoad } from './$types';
import { echoValues } from '$lib/server/http/echo-values';

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
			me: recordUser(viewer, record.capacity)
		};
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
};

export const actions: Actions = {
	saveVersion: async (event) => {
		const viewer = requireUser(event);
		const form = await event.request.formData();
		const name = String(form.get('name') ?? '');
		try {
			const saved = await saveVersion(await getDb(), viewer, { sessionId: Number(event.params.id), name }, { ip: clientAddress(event) });
			return { created: saved.name };
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
			if (err.code === 'not_found') error(404, 'not_found');
			if (err.code === 'forbidden') error(403, 'forbidden');
			return fail(HTTP_STATUS[err.code], { message: 'err_form', fields: err.fields, values: echoValues({ name }, err.fields) });
		}
	}
};
