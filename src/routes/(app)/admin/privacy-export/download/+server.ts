import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { clientAddress } from '$lib/server/auth/client-address';
import { getDb } from '$lib/server/db';
import { AppError } from '$lib/server/errors';
import { exportPartyData } from '$lib/server/privacy/export-party-data';
import { partyDataPdf } from '$lib/server/privacy/party-data-pdf';
import type { RequestHandler } from './$types';

/** A party's personal data as a file for the administrator to hand over (privacy/export-party-data.ts). */
export const POST: RequestHandler = async (event) => {
	const viewer = requireRole(event, 'admin');
	const form = await event.request.formData();
	let data;
	try {
		data = await exportPartyData(await getDb(), viewer, { phone: form.get('phone'), idNumber: form.get('idNumber') }, { ip: clientAddress(event) });
	} catch (err) {
		if (err instanceof AppError && err.code === 'invalid') redirect(303, '/admin/privacy-export?error=who');
		throw err;
	}
	const stamp = data.generatedAt.slice(0, 10);
	const headers = { 'cache-control': 'no-store' };
	if (form.get('format') === 'json') {
		return new Response(JSON.stringify(data, null, 2), {
			headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="personal-data-${stamp}.json"` }
		});
	}
	return new Response(Buffer.from(await partyDataPdf(data)), {
		headers: { ...headers, 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="personal-data-${stamp}.pdf"` }
	});
};
