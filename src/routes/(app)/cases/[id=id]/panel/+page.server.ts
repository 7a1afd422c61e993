import { requireUser } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { declareConflict } from '$lib/server/mediation/panel/declare-conflict';
import { getPanel } from '$lib/server/mediation/panel/get-panel';
import { inviteMember } from '$lib/server/mediation/panel/invite-member';
import { recordAcceptance } from '$lib/server/mediation/panel/record-acceptance';
import { removeMember } from '$lib/server/mediation/panel/remove-member';
import { act, formFields, pageError } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	const filter = { memberType: event.url.searchParams.get('type') ?? '', name: event.url.searchParams.get('name') ?? '' };
	const panel = await getPanel(await getDb(), viewer, event.params.id, filter).catch(pageError);
	return { panel, filter };
};

export const actions: Actions = {
	invite: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		// The pool lists one choice per person and type, sent as "userId:memberType".
		const [userId = '', memberType = ''] = (values.candidate ?? '').split(':');
		return act(
			'invite',
			values,
			async () => inviteMember(await getDb(), viewer, event.params.id, { userId, memberType, partiesConsent: values.partiesConsent }, { ip: clientAddress(event) }),
			'pn_invited_done'
		);
	},
	declare: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('declare', values, async () => declareConflict(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'pn_declared_done');
	},
	remove: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('remove', values, async () => removeMember(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'pn_removed_done', values.memberId);
	},
	accept: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('accept', values, async () => recordAcceptance(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'pn_acceptance_done');
	}
};
