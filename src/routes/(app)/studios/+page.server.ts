import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { createStudio } from '$lib/server/studios/keep-studio';
import { listStudios } from '$lib/server/studios/load-studios';
import { mayListStudios } from '$lib/server/studios/rules';
import { failWith, sent } from './form-result.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayListStudios(viewer)) error(403, 'forbidden');
	return await listStudios(await getDb(), viewer);
};

export const actions: Actions = {
	create: async (event) => {
		const viewer = requireUser(event);
		const values = await sent(event);
		let id: number;
		try {
			({ id } = await createStudio(await getDb(), viewer, values, { ip: clientAddress(event) }));
		} catch (err) {
			return failWith('create', err, values);
		}
		redirect(303, `/studios/${id}`);
	}
};
