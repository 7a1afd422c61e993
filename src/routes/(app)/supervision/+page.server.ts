import { requireRole } from '$lib/server/auth/guards';
import { mayViewCoverage } from '$lib/server/coverage/rules';
import { mayViewRoster } from '$lib/server/roster/rules';
import { countOverdueActions } from '$lib/server/meetings/list-meetings';
import { mayHoldMeetings } from '$lib/server/meetings/rules';
import { getDb } from '$lib/server/db';
import { listRepeatGroups } from '$lib/server/supervision/list-repeat-groups';
import { countSupervisedCases, listSupervisedCases } from '$lib/server/supervision/list-supervised-cases';
import { parseListQuery } from '$lib/server/supervision/rules';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'supervisor');
	const query = parseListQuery(event.url.searchParams);
	const db = await getDb();
	const now = new Date();
	const counts = await countSupervisedCases(db, user, query.stalledDays, { now });
	const meetings = mayHoldMeetings(user) ? { overdueActions: await countOverdueActions(db, user, { now }) } : null;
	if (query.list === 'repeat') {
		return { query, counts, meetings, coverage: mayViewCoverage(user), roster: mayViewRoster(user), cases: null, repeats: await listRepeatGroups(db, user, { page: query.page }, { now }) };
	}
	return { query, counts, meetings, coverage: mayViewCoverage(user), roster: mayViewRoster(user), cases: await listSupervisedCases(db, user, { ...query, list: query.list }, { now }), repeats: null };
};
