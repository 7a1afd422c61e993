import { requireRole } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { listSmsOutbox } from '$lib/server/sms/list-sms-outbox';
import { pageError } from '$lib/server/http/form-action';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireRole(event, 'admin');
	return listSmsOutbox(await getDb(), viewer, { phone: event.url.searchParams.get('phone') }).catch(pageError);
};
