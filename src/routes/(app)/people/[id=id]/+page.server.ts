import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { getStaffMember } from '$lib/server/people/get-staff-member';
import { STAFF_ROLES } from '$lib/server/people/rules';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireRole(event, ...STAFF_ROLES);
	try {
		return { person: await getStaffMember(await getDb(), viewer, event.params.id) };
	} catch (err) {
		// Someone outside the viewer's area is indistinguishable from no one.
		if (err instanceof AppError && err.code === 'not_found') error(404, 'not_found');
		throw err;
	}
};
