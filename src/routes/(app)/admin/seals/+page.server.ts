import { fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireRole } from '$lib/server/auth/guards';
import { listSeals } from '$lib/server/agreements/list-seals';
import { uploadSeal } from '$lib/server/agreements/upload-seal';
import { readFormData } from '$lib/server/cases/intake/intake-form';
import { getDb } from '$lib/server/db';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	return { seals: await listSeals(await getDb(), actor) };
};

export const actions: Actions = {
	upload: async (event) => {
		const actor = requireRole(event, 'admin');
		const body = await readFormData(event.request);
		if ('error' in body) return fail(body.status, { target: '', message: body.error });
		const placeId = String(body.form.get('placeId') ?? '');
		const file = body.form.get('seal');
		const bytes = file instanceof File && file.type === 'image/png' ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
		try {
			await uploadSeal(await getDb(), actor, { placeId, bytes }, { ip: clientAddress(event) });
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
			return fail(HTTP_STATUS[err.code], { target: placeId, message: err.fields.seal ?? err.fields.placeId ?? 'err_form' });
		}
		return { target: placeId, done: 'ag_seal_uploaded' };
	}
};
