import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { assignToStudio } from '$lib/server/studios/assign-to-studio';
import { addStudioMember, removeStudioMember, updateStudio } from '$lib/server/studios/keep-studio';
import { loadStudio } from '$lib/server/studios/load-studios';
import { mayListStudios } from '$lib/server/studios/rules';
import { parseStatsQuery, todayInShanghai } from '$lib/server/stats/rules';
import { failWith, sent } from '../form-result.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayListStudios(viewer)) error(403, 'forbidden');
	try {
		// From the statistics' "by studio" rows: the same period, so the page shows the same figures.
		const p = event.url.searchParams;
		const period = p.has('from') || p.has('to') ? parseStatsQuery(p, todayInShanghai()).query.period : null;
		return await loadStudio(await getDb(), viewer, event.params.id, { period });
	} catch (err) {
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not found');
		throw err;
	}
};

export const actions: Actions = {
	assign: async (event) => {
		const viewer = requireUser(event);
		const values = await sent(event);
		try {
			await assignToStudio(await getDb(), viewer, { caseRef: values.caseRef, studioId: event.params.id }, { ip: clientAddress(event) });
		} catch (err) {
			return failWith('assign', err, values);
		}
		return { action: 'assign', done: 'sd_assigned_done' };
	},
	withdraw: async (event) => {
		const viewer = requireUser(event);
		const values = await sent(event);
		try {
			await assignToStudio(await getDb(), viewer, { caseRef: values.caseRef, studioId: '' }, { ip: clientAddress(event) });
		} catch (err) {
			return failWith('withdraw', err, values);
		}
		return { action: 'withdraw', done: 'sd_withdrawn_done' };
	},
	update: async (event) => {
		const viewer = requireUser(event);
		const values = await sent(event);
		try {
			await updateStudio(await getDb(), viewer, event.params.id, values, { ip: clientAddress(event) });
		} catch (err) {
			return failWith('update', err, values);
		}
		return { action: 'update', done: 'sd_saved' };
	},
	addMember: async (event) => {
		const viewer = requireUser(event);
		const values = await sent(event);
		try {
			await addStudioMember(await getDb(), viewer, event.params.id, values.userId, { ip: clientAddress(event) });
		} catch (err) {
			return failWith('addMember', err, values);
		}
		return { action: 'addMember', done: 'sd_member_added' };
	},
	removeMember: async (event) => {
		const viewer = requireUser(event);
		const values = await sent(event);
		try {
			await removeStudioMember(await getDb(), viewer, event.params.id, values.userId, { ip: clientAddress(event) });
		} catch (err) {
			return failWith('removeMember', err, values);
		}
		return { action: 'removeMember', done: 'sd_member_removed' };
	}
};
