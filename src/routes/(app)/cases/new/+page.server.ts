import { fail, redirect } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { requireRole } from '$lib/server/auth/guards';
import { fileCase, FILING_ROLES } from '$lib/server/cases/intake/file-case';
import { flashQueryCode } from '$lib/server/cases/intake/filed-flash';
import { filingOptions } from '$lib/server/cases/intake/filing-options';
import { formFieldErrors, readFormData, readIntakeForm, toIncomingFiles } from '$lib/server/cases/intake/intake-form';
import { shanghaiDate } from '$lib/server/cases/shanghai-date';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES, ATTACHMENT_TYPES } from '$lib/server/cases/work/attachment-rules';
import { getDb } from '$lib/server/db';
import { formFailure } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireRole(event, ...FILING_ROLES);
	return {
		options: await filingOptions(await getDb(), viewer),
		defaultPlaceId: viewer.place.kind === 'county' ? null : viewer.place.id,
		today: shanghaiDate(new Date()),
		limits: { maxBytes: ATTACHMENT_MAX_BYTES, maxFiles: ATTACHMENT_MAX_FILES, types: [...ATTACHMENT_TYPES] }
	};
};

export const actions: Actions = {
	default: async (event) => {
		const viewer = requireRole(event, ...FILING_ROLES);
		const body = await readFormData(event.request);
		if ('error' in body) return fail(body.status, { message: body.error, fields: {} as Record<string, string>, values: null });
		const { values, raw, rowOf, files } = readIntakeForm(body.form);
		let filed;
		try {
			filed = await fileCase(await getDb(), viewer, raw, { ip: clientAddress(event), files: await toIncomingFiles(files) });
		} catch (err) {
			return formFailure(err, values, {
				errorPage: [],
				renameFields: (fields) => formFieldErrors(fields, rowOf),
				// A problem with the files alone is named at the top; anything else points at the marked fields.
				fallback: (e, fields) => {
					const onlyFiles = Object.keys(fields).every((f) => f.startsWith('attachments'));
					return e.code === 'forbidden' ? 'error_403' : onlyFiles && fields.attachments ? fields.attachments : 'err_form';
				}
			});
		}
		flashQueryCode(event, filed.id, filed.queryCode);
		redirect(303, `/cases/${filed.id}`);
	}
};
