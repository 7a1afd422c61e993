import { requireUser } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { addAttendee } from '$lib/server/mediation/sessions/add-attendee';
import { cancelSession, endSession, startSession } from '$lib/server/mediation/sessions/change-session';
import { listSessions } from '$lib/server/mediation/sessions/list-sessions';
import { WALK_IN_CAPACITIES } from '$lib/server/mediation/sessions/rules';
import { scheduleSession } from '$lib/server/mediation/sessions/schedule-session';
import { loadSession } from '$lib/server/mediation/sessions/load-session';
import { act, formFields, pageError, requireConfirmed } from '$lib/server/http/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	const view = await listSessions(await getDb(), viewer, event.params.id).catch(pageError);
	return { view, walkInCapacities: WALK_IN_CAPACITIES };
};

export const actions: Actions = {
	schedule: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		return act('schedule', values, async () => scheduleSession(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) }), 'ss_scheduled_done', undefined, (r) => ({ seq: r.seq }));
	},
	start: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		const ref = { sessionId: values.sessionId, caseId: event.params.id };
		return act('start', values, async () => startSession(await getDb(), viewer, ref, { ip: clientAddress(event), collab: event.locals.collab }), 'ss_start_done', values.sessionId);
	},
	end: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		const ref = { sessionId: values.sessionId, caseId: event.params.id };
		const work = async () => {
			const db = await getDb();
			await loadSession(db, viewer, ref.sessionId, 'run', ref.caseId);
			requireConfirmed(values);
			return endSession(db, viewer, ref, { ip: clientAddress(event), collab: event.locals.collab });
		};
		return act('end', values, work, 'ss_end_done', values.sessionId);
	},
	cancel: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		const ref = { sessionId: values.sessionId, caseId: event.params.id, reason: values.reason };
		return act('cancel', values, async () => cancelSession(await getDb(), viewer, ref, { ip: clientAddress(event) }), 'ss_cancel_done', values.sessionId);
	},
	attendee: async (event) => {
		const viewer = requireUser(event);
		const values = formFields(await event.request.formData());
		const raw = { sessionId: values.sessionId, caseId: event.params.id, name: values.name, capacity: values.capacity };
		return act('attendee', values, async () => addAttendee(await getDb(), viewer, raw, { ip: clientAddress(event) }), 'ss_add_attendee_done', values.sessionId);
	}
};
