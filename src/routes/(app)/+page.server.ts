import { error, fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { hasRole, requireUser } from '$lib/server/auth/guards';
import { dbRateLimiter } from '$lib/server/auth/rate-limit';
import { getDb } from '$lib/server/db';
import { listMyCases } from '$lib/server/parties/list-my-cases';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import { NOTICE_ACTIONS } from '$lib/server/notices/budget';
import { declareFromNotice } from '$lib/server/mediation/panel/declare-from-notice';
import { listMyPanels } from '$lib/server/notices/list-my-panels';
import { listNotices } from '$lib/server/notices/list-notices';
import { markAllRead } from '$lib/server/notices/mark-read';
import { sweepDueNotices } from '$lib/server/notices/sweep-due-notices';
import { listReminders } from '$lib/server/outcomes/list-reminders';
import { listMyOrders } from '$lib/server/supervision/list-my-orders';
import { listMyActions } from '$lib/server/meetings/list-my-actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = await getDb();
	// Only mediators and supervisors can be named owners of supervision orders (督办单).
	const supervisionInbox = hasRole(user, 'mediator', 'supervisor') ? await listMyOrders(db, user) : null;
	// The same people are named responsible for the decisions of meetings on stalled matters.
	const meetingActions = hasRole(user, 'mediator', 'supervisor') ? await listMyActions(db, user) : [];
	// A mediator follows up the agreements of the cases assigned to them (人民调解法 arts. 31, 33).
	const reminders = hasRole(user, 'mediator') ? await listReminders(db, user) : [];
	// Terms falling due and return visits become notices here, where their dates are read (see the sweep).
	if (hasRole(user, 'mediator')) await sweepDueNotices(db, user, reminders);
	// Anyone may be invited onto a panel (advisors, villagers, mediators too), so everyone's panels are listed.
	const [notices, myPanels] = await Promise.all([listNotices(db, user), listMyPanels(db, user)]);
	const myCases = hasRole(user, 'party') ? await listMyCases(db, user) : null;
	return { user, supervisionInbox, meetingActions, reminders, notices, myPanels, myCases };
};

/** The budget of the notice actions, counted per account before any work. */
async function withinBudget(viewerId: number): Promise<boolean> {
	return dbRateLimiter(await getDb(), NOTICE_ACTIONS).consume(`user:${viewerId}`);
}

export const actions: Actions = {
	/** Two taps from the invitation: tick "no conflict", submit. Works without JavaScript. */
	declare: async (event) => {
		const viewer = requireUser(event);
		const form = await event.request.formData();
		const values = { caseId: String(form.get('caseId') ?? '').slice(0, 20), confirm: String(form.get('confirm') ?? '').slice(0, 10) };
		if (!(await withinBudget(viewer.id))) return fail(429, { action: 'declare', caseId: values.caseId, message: 'nt_err_busy' });
		try {
			const { caseId } = await declareFromNotice(await getDb(), viewer, values, { ip: clientAddress(event) });
			return { action: 'declare', caseId: String(caseId), declared: true };
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
			if (err.code === 'not_found') error(404, 'not_found');
			const message = err.fields.confirm ?? err.fields._ ?? (err.code === 'forbidden' ? 'error_403' : 'err_form');
			return fail(HTTP_STATUS[err.code], { action: 'declare', caseId: values.caseId, message });
		}
	},
	markAllRead: async (event) => {
		const viewer = requireUser(event);
		if (!(await withinBudget(viewer.id))) return fail(429, { action: 'markAllRead', message: 'nt_err_busy' });
		await markAllRead(await getDb(), viewer);
		return { action: 'markAllRead', marked: true };
	}
};
