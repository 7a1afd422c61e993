import { isActionFailure, isHttpError, isRedirect } from '@sveltejs/kit';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SESSION_COOKIE } from '../../src/lib/server/auth/session';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { caseParties, smsOutbox } from '../../src/lib/server/db/schema';
import type { Viewer } from '../../src/lib/types';
import * as phonePage from '../../src/routes/(public)/login/phone/+page.server';
import * as partyPage from '../../src/routes/(app)/cases/[id=id]/parties/[partyId=id]/+page.server';
import { newCase, setUpCasework, type Casework } from './casework-fixtures';
import { routeEvent, type CookieJar } from '../support/route-event';

/**
 * The phone sign-in page and the staff page for a party's phone as thin adapters: the same answer for
 * any number, the form refilled without echoing a huge value, the session cookie only after a right
 * code; and the staff page refused to everyone who does not run the case.
 */
let w: Casework;
// The routes' getDb() answers with this file's database.
vi.mock('../../src/lib/server/db/index', async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => w.t.db }));
const PHONE = '13907925001';
let caseId: number;
let partyId: number;

beforeAll(async () => {
	w = await setUpCasework();
	caseId = (await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { parties: [{ side: 'applicant', name: '周某', phone: PHONE }] }))).id;
	[{ id: partyId }] = await w.t.db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, caseId));
}, 180_000);
afterAll(async () => {
	await w.t.destroy();
});


function event(path: string, form: Record<string, string> | null, opts: { jar?: CookieJar; ip?: string; user?: Viewer | null; params?: Record<string, string> } = {}): never {
	return routeEvent(path, { form, method: form ? 'POST' : 'GET', user: opts.user, params: opts.params, ip: opts.ip ?? '192.0.2.50', cookies: opts.jar });
}

async function run(fn: () => unknown): Promise<{ redirect?: string; status?: number; data?: unknown }> {
	try {
		const result = await fn();
		if (isActionFailure(result)) return { status: result.status, data: result.data };
		return { status: 200, data: result };
	} catch (err) {
		if (isRedirect(err)) return { redirect: err.location, status: err.status };
		if (isHttpError(err)) return { status: err.status };
		throw err;
	}
}

describe('/login/phone', () => {
	it('answers a number on a case and a stranger alike, and refuses a malformed one without echoing it whole', async () => {
		const onCase = await run(() => phonePage.actions.send(event('/login/phone?/send', { phone: PHONE }, { ip: '192.0.2.51' })));
		const stranger = await run(() => phonePage.actions.send(event('/login/phone?/send', { phone: '13907925999' }, { ip: '192.0.2.51' })));
		expect(onCase).toEqual({ status: 200, data: { step: 'code', phone: PHONE, resendIn: 60, waited: false } });
		expect(stranger).toEqual({ status: 200, data: { step: 'code', phone: '13907925999', resendIn: 60, waited: false } });
		const bad = await run(() => phonePage.actions.send(event('/login/phone?/send', { phone: '9'.repeat(10_000) })));
		expect(bad.status).toBe(400);
		expect(bad.data).toMatchObject({ step: 'phone', fields: { phone: 'pt_err_phone' }, values: { phone: '9'.repeat(20) } });
	});

	it('sets the session cookie only for the right code, and stays on the code step after a wrong one', async () => {
		const jar: CookieJar = new Map();
		const wrong = await run(() => phonePage.actions.verify(event('/login/phone?/verify', { phone: PHONE, code: '12345x' }, { jar })));
		expect(wrong.status).toBe(400);
		expect(wrong.data).toMatchObject({ step: 'code', phone: PHONE, fields: { code: 'pt_err_code_wrong' } });
		expect((wrong.data as { resendIn: number }).resendIn).toBeGreaterThan(0);
		expect(jar.has(SESSION_COOKIE)).toBe(false);
		const [sms] = await w.t.db.select({ body: smsOutbox.body }).from(smsOutbox).where(eq(smsOutbox.phone, PHONE)).orderBy(asc(smsOutbox.id));
		const code = sms.body.match(/验证码是 (\d{6})/)![1];
		const right = await run(() => phonePage.actions.verify(event('/login/phone?/verify', { phone: PHONE, code }, { jar })));
		expect(right.redirect).toBe('/');
		expect(jar.get(SESSION_COOKIE)).toMatch(/^\w{24}\.\w{24}$/);
	});
});

describe("/cases/<id>/parties/<partyId>", () => {
	const params = () => ({ id: String(caseId), partyId: String(partyId) });
	it('is refused to people who do not run the case, on load and on each action', async () => {
		for (const [who, status] of [
			['qiujin.villager', 404],
			['panelist', 404],
			['villager', 403],
			['party', 404]
		] as const) {
			const user = w.viewers[who];
			expect((await run(() => partyPage.load(event(`/cases/${caseId}/parties/${partyId}`, null, { user, params: params() })))).status).toBe(status);
			expect((await run(() => partyPage.actions.correct(event('?/correct', { phone: '13907925002' }, { user, params: params() })))).status).toBe(status);
			expect((await run(() => partyPage.actions.invite(event('?/invite', {}, { user, params: params() })))).status).toBe(status);
		}
		// Signed out: the page sends to the sign-in, an action answers 401.
		expect((await run(() => partyPage.load(event(`/cases/${caseId}/parties/${partyId}`, null, { params: params() })))).redirect).toMatch(/^\/login\?next=/);
		expect((await run(() => partyPage.actions.correct(event('?/correct', { phone: '13907925002' }, { params: params() })))).status).toBe(401);
	});

	it('lets the mediator correct the number, refilling the form on a bad one', async () => {
		const user = w.viewers.mediator;
		const bad = await run(() => partyPage.actions.correct(event('?/correct', { phone: '1390' + '7'.repeat(100) }, { user, params: params() })));
		expect(bad).toMatchObject({ status: 400, data: { fields: { phone: 'pt_err_phone' }, values: { phone: '1390' + '7'.repeat(16) } } });
		const done = await run(() => partyPage.actions.correct(event('?/correct', { phone: '13907925002' }, { user, params: params() })));
		expect(done).toEqual({ status: 200, data: { action: 'correct', corrected: '5002' } });
		const page = (await run(() => partyPage.load(event('/', null, { user, params: params() })))).data as { party: { phoneMasked: string } };
		expect(page.party.phoneMasked).toBe('*******5002');
	});
});
