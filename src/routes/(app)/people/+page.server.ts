import { requireRole } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { listStaff } from '$lib/server/people/list-staff';
import { STAFF_ROLES } from '$lib/server/people/rules';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireRole(event, ...STAFF_ROLES);
	const { searchParams } = event.url;
	return {
		scope: viewer.place.name,
		staff: await listStaff(await getDb(), viewer, { q: searchParams.get('q') ?? '', page: searchParams.get('page') ?? '1' })
	};
};
