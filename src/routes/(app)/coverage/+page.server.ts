import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { loadCoverage } from '$lib/server/coverage/load-coverage';
import { mayFixCoverage, mayViewCoverage } from '$lib/server/coverage/rules';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireUser(event);
	if (!mayViewCoverage(viewer)) error(403, 'forbidden');
	return { coverage: await loadCoverage(await getDb(), viewer), areaName: viewer.place.name, mayFix: mayFixCoverage(viewer) };
};
