import { isActionFailure, isRedirect } from '@sveltejs/kit';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cases, places } from '../../src/lib/server/db/schema';
import { TRACK_COOKIE } from '../../src/lib/server/public/track-handle';
import * as filePage from '../../src/routes/(public)/file/+page.server';
import * as trackPage from '../../src/routes/(public)/track/+page.server';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { routeEvent, type CookieJar } from '../support/route-event';

/**
 * The public routes as thin adapters: the form in, the use case, and the answer out — with the code
 * never in a URL or a cookie, the same answer for a wrong number and a wrong code, and a reload
 * served from the signed handle alone.
 */
let t: TestDatabase;
// The routes' getDb() answers with this file's database.
vi.mock('../../src/lib/server/db/index', async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => t.db }));
let villageId: number;

// Seeding hashes eleven demo passwords with argon2id: slow on a busy machine.
beforeAll(async () => {
	t = await createTestDatabase('demo');
	[{ id: villageId }] = (await t.db.select({ id: places.id, name: places.name }).from(places)).filter((p) => p.name === '城南村');
}, 180_000);
afterAll(async () => {
	await t.destroy();
});


function event(path: string, form: Record<string, string> | null, jar: CookieJar = new Map(), ip = '192.0.2.1'): never {
	return routeEvent(path, { form, ip, cookies: jar });
}

async function run(fn: () => unknown): Promise<{ redirect?: string; status?: number; data?: unknown }> {
	try {
		const result = await fn();
		if (isActionFailure(result)) return { status: result.status, data: result.data };
		return { status: 200, data: result };
	} catch (err) {
		if (isRedirect(err)) return { redirect: err.location, status: err.status };
		throw err;
	}
}

const filing = (patch: Record<string, string> = {}) => ({
	name: '孙大伯',
	phone: '１３９０７９２１２３４',
	placeId: String(villageId),
	categoryId: '3',
	title: '宅基地边界纠纷',
	description: '与邻居因宅基地边界的围墙发生争执。',
	...patch
});

describe('public routes', () => {
	it('files from the form, answering the number and code once, and refills a bad form without the bot trap', async () => {
		const load = (await filePage.load(event('/file', null))) as { options: { townships: unknown[] }; submission: string };
		expect(load.options.townships).toHaveLength(3);
		expect(load.submission).toMatch(/^[a-f0-9]{32}$/);

		const bad = await run(() => filePage.actions.default(event('/file', filing({ name: '', website: 'x', idNumber: '110105194912310021' }))));
		// The bot trap answers first, with a form-level message.
		expect(bad).toMatchObject({ status: 400, data: { message: 'public_file_rejected' } });
		const bad2 = await run(() => filePage.actions.default(event('/file', filing({ name: '', idNumber: '110105194912310021' }))));
		expect(bad2).toMatchObject({
			status: 400,
			data: { message: 'err_form', fields: { name: 'err_required', idNumber: 'err_id_number_invalid' }, values: { idNumber: '110105194912310021', title: '宅基地边界纠纷' } }
		});

		const ok = await run(() => filePage.actions.default(event('/file', filing({ submission: load.submission }))));
		expect(ok).toMatchObject({ status: 200, data: { filed: { number: expect.stringMatching(/^\d{4}-\d{6}$/), queryCode: expect.stringMatching(/^[A-Z2-9]{8}$/) } } });
		const again = await run(() => filePage.actions.default(event('/file', filing({ submission: load.submission }))));
		expect(again).toMatchObject({ status: 409, data: { message: 'public_file_duplicate' } });
	});

	it('gives a wrong number and a wrong code the same answer, and opens the case with a handle and a redirect', async () => {
		const [{ n: before }] = await t.db.select({ n: count() }).from(cases);
		const filed = (await run(() => filePage.actions.default(event('/file', filing({ phone: '13907921235' }))))).data as { filed: { number: string; queryCode: string } };
		const { number, queryCode } = filed.filed;
		expect((await t.db.select({ n: count() }).from(cases))[0].n).toBe(before + 1);

		const jarA: CookieJar = new Map();
		const wrongCode = await run(() => trackPage.actions.lookup(event('/track', { number, code: 'ABCDEFGH' }, jarA, '192.0.2.10')));
		const wrongNumber = await run(() => trackPage.actions.lookup(event('/track', { number: '1999-000001', code: queryCode }, new Map(), '192.0.2.11')));
		expect(wrongCode).toEqual({ status: 404, data: { action: 'lookup', message: 'public_track_not_found', retryMinutes: null, fields: {}, values: { number } } });
		expect(wrongNumber).toEqual({ ...wrongCode, data: { ...(wrongCode.data as object), values: { number: '1999-000001' } } });
		expect(JSON.stringify([wrongCode, wrongNumber])).not.toContain(queryCode);

		const jar: CookieJar = new Map();
		const found = await run(() => trackPage.actions.lookup(event('/track', { number, code: queryCode.toLowerCase() }, jar, '192.0.2.12')));
		expect(found).toEqual({ redirect: '/track', status: 303 });
		const handle = jar.get(TRACK_COOKIE)!;
		expect(handle).toBeTruthy();
		expect(handle).not.toContain(queryCode);

		// A reload is a GET that shows the case from the handle alone; a forged handle shows the form.
		const reload = (await trackPage.load(event('/track', null, jar))) as { view: { number: string } | null };
		expect(reload.view?.number).toBe(number);
		const forged = (await trackPage.load(event('/track', null, new Map([[TRACK_COOKIE, handle.replace(/^\d+/, '1')]])))) as { view: unknown };
		expect(forged.view).toBeNull();

		// Closing the case drops the handle.
		expect(await run(() => trackPage.actions.forget(event('/track', {}, jar)))).toEqual({ redirect: '/track', status: 303 });
		expect(jar.has(TRACK_COOKIE)).toBe(false);
	});

	it('rates with the code checked again and answers limits with 429', async () => {
		const filed = ((await run(() => filePage.actions.default(event('/file', filing({ phone: '13907921236' }))))).data as { filed: { number: string; queryCode: string } }).filed;
		const notYet = await run(() => trackPage.actions.rate(event('/track', { number: filed.number, code: filed.queryCode, rating: '5' })));
		expect(notYet).toMatchObject({ status: 409, data: { action: 'rate', message: 'public_rate_not_yet' } });

		for (let i = 0; i < 5; i++) await run(() => trackPage.actions.lookup(event('/track', { number: filed.number, code: 'ABCDEFGH' }, new Map(), '192.0.2.100')));
		const limited = await run(() => trackPage.actions.lookup(event('/track', { number: filed.number, code: filed.queryCode }, new Map(), '192.0.2.100')));
		// The message says when to try again ("请 60 分钟后再试"), not just "later".
		expect(limited).toEqual({ status: 429, data: { action: 'lookup', message: 'sec_track_limited', retryMinutes: 60, fields: {}, values: { number: filed.number } } });
	});
});
