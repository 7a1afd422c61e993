import { fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireRole } from '$lib/server/auth/guards';
import { readFormData } from '$lib/server/cases/intake/intake-form';
import { getDb } from '$lib/server/db';
import { listCertificates } from '$lib/server/sealing/list-certificates';
import { uploadCertificate } from '$lib/server/sealing/upload-certificate';
import { formFailure } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	return await listCertificates(await getDb(), actor);
};

export const actions: Actions = {
	upload: async (event) => {
		const actor = requireRole(event, 'admin');
		const body = await readFormData(event.request);
		if ('error' in body) return fail(body.status, { message: body.error, fields: {}, values: {} });
		const placeId = String(body.form.get('placeId') ?? '');
		const file = body.form.get('certificate');
		const password = body.form.get('password');
		try {
			await uploadCertificate(
				await getDb(),
				actor,
				{ placeId, file: file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array(), password: typeof password === 'string' ? password : '' }, { ip: clientAddress(event) }
			);
		} catch (err) {
			// The password is never sent back.
			return formFailure(err, { placeId });
		}
		return { done: 'sl_uploaded' };
	}
};
