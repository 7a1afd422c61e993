import { clientAddress } from '$lib/server/auth/client-address';
import { requireUser } from '$lib/server/auth/guards';
import { frozenContentIntact } from '$lib/server/agreements/check-frozen-content';
import { changesForPage } from '$lib/server/agreements/agreement-changes';
import { createDraft } from '$lib/server/agreements/create-draft';
import { createInvitation } from '$lib/server/agreements/create-invitation';
import { freezeAgreement } from '$lib/server/agreements/freeze-agreement';
import { openLiveDraft } from '$lib/server/agreements/agreement-document';
import { loadAgreementCase } from '$lib/server/agreements/agreement-case';
import { getAgreement } from '$lib/server/agreements/get-agreement';
import { removeTerm } from '$lib/server/agreements/remove-term';
import { saveTerm } from '$lib/server/agreements/save-term';
import { signAgreement } from '$lib/server/agreements/sign-agreement';
import { unfreezeAgreement } from '$lib/server/agreements/unfreeze-agreement';
import { updateDraftText } from '$lib/server/agreements/update-draft-text';
import { getDb } from '$lib/server/db';
import { issueCopies } from '$lib/server/documents/issue-copies';
import { act, formFields, pageError, requireConfirmed } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	const db = await getDb();
	const view = await getAgreement(db, viewer, event.params.id).catch(pageError);
	const intact = view.agreement ? await frozenContentIntact(db, view.agreement.id, view.caseRow.number) : null;
	return {
		...view,
		tampered: intact === false,
		live: await openLiveDraft(db, viewer, view.agreement, view.access, { collab: event.locals.collab }),
		...(await changesForPage(db, view.agreement?.id ?? null))
	};
};

/** `responsibility.<partyId>` fields → `{ [partyId]: text }`. */
function responsibilities(values: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(values)) if (key.startsWith('responsibility.')) out[key.slice('responsibility.'.length)] = value;
	return out;
}

export const actions: Actions = {
	create: async (event) => {
		const viewer = requireUser(event);
		return act('create', {}, async () => createDraft(await getDb(), viewer, { caseId: event.params.id }, { ip: clientAddress(event) }), 'ag_created_done');
	},
	text: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		const input = { facts: values.facts, issues: values.issues, otherTerms: values.otherTerms, responsibility: responsibilities(values) };
		return act('text', values, async () => updateDraftText(await getDb(), viewer, event.params.id, input, { ip: clientAddress(event), collab: event.locals.collab }), 'ag_saved_done');
	},
	term: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('term', values, async () => saveTerm(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'ag_term_saved_done', values.termId || 'new');
	},
	removeTerm: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('removeTerm', values, async () => removeTerm(await getDb(), viewer, { caseId: event.params.id, termId: values.termId }, { ip: clientAddress(event) }), 'ag_term_removed_done');
	},
	freeze: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		const work = async () => {
			const db = await getDb();
			await loadAgreementCase(db, viewer, event.params.id, 'run');
			requireConfirmed(values);
			return freezeAgreement(db, viewer, event.params.id, { ip: clientAddress(event), collab: event.locals.collab });
		};
		return act('freeze', values, work, 'ag_frozen_done');
	},
	unfreeze: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('unfreeze', values, async () => unfreezeAgreement(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event), collab: event.locals.collab }), 'ag_unfrozen_done');
	},
	invite: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		let link = '';
		let texted = false;
		const result = await act(
			'invite',
			values,
			async () => {
				({ link, texted } = await createInvitation(await getDb(), viewer, { caseId: event.params.id, partyId: values.partyId }, { origin: event.url.origin, ip: clientAddress(event) }));
			},
			'ag_invited_done',
			values.partyId
		);
		// The link is shown once, to this mediator: only its hash is stored.
		return link ? { action: 'invite', target: values.partyId, done: 'ag_invited_done', link, texted } : result;
	},
	sign: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		// The image is not sent back to refill the form: it is large, and the pad is redrawn anyway.
		const { signature: _signature, ...refill } = values;
		return act(
			'sign',
			refill,
			async () => {
				const db = await getDb();
				const signed = await signAgreement(db, viewer, event.params.id, values, { ip: clientAddress(event), userAgent: event.request.headers.get('user-agent') });
				// In force now: every copy is sealed and stored in the background (after the commit).
				if (signed.effective) void issueCopies(db, Number(event.params.id), { actorId: viewer.id, origin: event.url.origin, ip: clientAddress(event) });
				return signed;
			},
			values.decision === 'refuse' ? 'ag_refused_done' : 'ag_signed_done',
			values.partyId || 'mediator'
		);
	}
};
