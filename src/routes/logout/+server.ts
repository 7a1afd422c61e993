import { redirect, type RequestHandler } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit/record-audit';
import { clientAddress } from '$lib/server/auth/client-address';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';

/** Ends the session on the server (the old cookie stops working everywhere), then clears it here. */
export const POST: RequestHandler = async (event) => {
	const { locals, cookies } = event;
	if (locals.session && locals.user) {
		const { session, user } = locals;
		await (await getDb()).transaction(async (tx) => {
			await invalidateSession(tx, session.id);
			await recordAudit(tx, { action: 'auth.logout', actorId: user.id, ip: clientAddress(event), data: {} });
		});
	}
	deleteSessionCookie(event);
	redirect(303, '/login?signed-out');
};
