import { fail } from '@sveltejs/kit';
import { clientAddress } from '$lib/server/auth/client-address';
import { retryMinutes } from '$lib/server/auth/rate-limit';
import { readFormData } from '$lib/server/cases/intake/intake-form';
import { getDb } from '$lib/server/db';
import { verifyAgreement, type Verification, type VerifyQuery } from '$lib/server/documents/verify-agreement';
import { AppError, HTTP_STATUS } from '$lib/server/errors';
import type { Actions, PageServerLoad } from './$types';

/**
 * Public verification of an agreement copy, without an account: by the code printed on it (typed, or
 * from its QR code, which opens this page with `?code=`), or by uploading the PDF itself.
 */
type Outcome = { result: Verification; code: string } | { message: string; retryMinutes?: number | null; fields: Record<string, string>; code: string };

async function check(query: VerifyQuery, ip: string, code: string): Promise<{ status: number; body: Outcome }> {
	try {
		return { status: 200, body: { result: await verifyAgreement(await getDb(), query, ip), code } };
	} catch (err) {
		if (!(err instanceof AppError)) throw err;
		const message = err.code === 'rate_limited' ? 'sec_verify_limited' : 'err_form';
		return { status: HTTP_STATUS[err.code], body: { message, retryMinutes: retryMinutes(err), fields: err.fields, code } };
	}
}

export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'cache-control': 'no-store' });
	const code = event.url.searchParams.get('code');
	if (!code) return { checked: null };
	return { checked: (await check({ code }, clientAddress(event), code.slice(0, 40))).body };
};

export const actions: Actions = {
	default: async (event) => {
		const read = await readFormData(event.request);
		if ('error' in read) {
			const body: Outcome = { message: 'err_form', fields: { pdf: read.error }, code: '' };
			return fail(read.status, body);
		}
		const file = read.form.get('pdf');
		const code = String(read.form.get('code') ?? '').slice(0, 40);
		const query: VerifyQuery = file instanceof File && file.size > 0 ? { pdf: new Uint8Array(await file.arrayBuffer()) } : { code };
		const { status, body } = await check(query, clientAddress(event), code);
		return status === 200 ? body : fail(status, body);
	}
};
