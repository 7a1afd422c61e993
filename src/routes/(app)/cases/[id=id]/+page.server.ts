import { error, fail, type Action } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { hasRole, requireUser } from '$lib/server/auth/guards';
import { takeQueryCode } from '$lib/server/cases/intake/filed-flash';
import { readFormData, toIncomingFiles } from '$lib/server/cases/intake/intake-form';
import { shanghaiDate } from '$lib/server/cases/shanghai-date';
import { TRANSITIONS, type TransitionName } from '$lib/server/cases/states';
import { addAttachments, ATTACHING_ROLES } from '$lib/server/cases/work/add-attachments';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES, ATTACHMENT_TYPES } from '$lib/server/cases/work/attachment-rules';
import { getCase } from '$lib/server/cases/work/get-case';
import { revealPersonalData } from '$lib/server/privacy/reveal-personal-data';
import { transitionCase } from '$lib/server/cases/work/transition-case';
import { recordEscalation } from '$lib/server/cases/work/record-escalation';
import { getDb } from '$lib/server/db';
import { mayRunMediation } from '$lib/server/cases/access';
import { AppError } from '$lib/server/errors';
import { formFailure, formFields } from '$lib/server/http/form-action';
import { getMyMembership } from '$lib/server/notices/get-my-membership';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	try {
		const detail = await getCase(await getDb(), viewer, event.params.id);
		return {
			detail,
			myPanel: await getMyMembership(await getDb(), viewer, detail.id),
			// Shown once, right after filing (see filed-flash.ts).
			queryCode: takeQueryCode(event, detail.id),
			today: shanghaiDate(new Date()),
			mayManageParties: mayRunMediation(viewer, detail),
			mayAttach: hasRole(viewer, ...ATTACHING_ROLES) && detail.status !== 'archived',
			limits: { maxBytes: ATTACHMENT_MAX_BYTES, maxFiles: ATTACHMENT_MAX_FILES, types: [...ATTACHMENT_TYPES] }
		};
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
};

/** An expected refusal as form data; a case out of reach is a 404 like a missing one. */
function refused(err: unknown, action: string, values: Record<string, string> | null) {
	return formFailure(err, values, {
		action,
		errorPage: ['not_found'],
		fallback: (e, fields) => (e.code === 'forbidden' ? 'error_403' : (fields.attachments ?? 'err_form'))
	});
}

/** One named action per transition, each guarding itself and calling `transitionCase`. */
function transition(type: TransitionName): Action {
	return async (event) => {
		const viewer = requireUser(event);
		const body = await readFormData(event.request);
		if ('error' in body) return fail(body.status, { action: type, message: body.error, fields: {} as Record<string, string>, values: null });
		const values = Object.fromEntries([...body.form].filter((e): e is [string, string] => typeof e[1] === 'string'));
		try {
			await transitionCase(await getDb(), viewer, event.params.id, { ...values, type }, { ip: clientAddress(event) });
		} catch (err) {
			return refused(err, type, values);
		}
		return { action: type, done: type };
	};
}

export const actions: Actions = {
	...(Object.fromEntries(TRANSITIONS.map((type) => [type, transition(type)])) as Record<TransitionName, Action>),

	reveal: async (event) => {
		const viewer = requireUser(event);
		const body = await readFormData(event.request);
		if ('error' in body) return fail(body.status, { action: 'reveal', message: body.error, fields: {} as Record<string, string>, values: null });
		try {
			const input = { partyId: body.form.get('partyId'), purpose: body.form.get('purpose'), note: body.form.get('note') ?? undefined };
			const revealed = await revealPersonalData(await getDb(), viewer, event.params.id, input, { ip: clientAddress(event) });
			return { action: 'reveal', revealed };
		} catch (err) {
			return refused(err, 'reveal', null);
		}
	},

	escalation: async (event) => {
		const viewer = requireUser(event);
		const body = await readFormData(event.request);
		if ('error' in body) return fail(body.status, { action: 'escalation', message: body.error, fields: {} as Record<string, string>, values: null });
		const values = formFields(body.form);
		try {
			await recordEscalation(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) });
		} catch (err) {
			return refused(err, 'escalation', values);
		}
		return { action: 'escalation', escalated: true };
	},

	attach: async (event) => {
		const viewer = requireUser(event);
		const body = await readFormData(event.request);
		if ('error' in body) return fail(body.status, { action: 'attach', message: body.error, fields: {} as Record<string, string>, values: null });
		const files = body.form.getAll('attachments').filter((v): v is File => typeof v !== 'string' && v.size > 0);
		try {
			const ids = await addAttachments(await getDb(), viewer, event.params.id, await toIncomingFiles(files), { ip: clientAddress(event) });
			return { action: 'attach', uploaded: ids.length };
		} catch (err) {
			return refused(err, 'attach', null);
		}
	}
};
