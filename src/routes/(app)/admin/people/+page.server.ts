import { requireRole } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { listPeople } from '$lib/server/people/list-people';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, 'admin');
	const { searchParams } = event.url;
	return {
		people: await listPeople(await getDb(), actor, { q: searchParams.get('q') ?? '', page: searchParams.get('page') ?? '1' })
	};
};
