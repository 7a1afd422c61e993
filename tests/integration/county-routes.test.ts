import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Viewer } from '../../src/lib/types';
import * as coveragePage from '../../src/routes/(app)/coverage/+page.server';
import * as rosterPage from '../../src/routes/(app)/roster/+page.server';
import { SEED_TIMEOUT, seedAdminWorld, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/**
 * The coverage and roster pages guard every load and action themselves, before the form or the
 * database is touched (the process database points where nothing listens).
 */
type Handler = (event: RequestEvent) => unknown;

vi.hoisted(() => {
	process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:9/none';
});

let t: TestDatabase;
const people: Record<string, Viewer> = {};

beforeAll(async () => {
	t = await createTestDatabase();
	await seedAdminWorld(t.db);
	for (const username of ['tubu.supervisor', 'tubu.admin', 'chengnan.admin', 'mediator', 'villager', 'party']) people[username] = await viewer(t.db, username);
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

function fakeEvent(user: Viewer | null, method: 'GET' | 'POST', path: string): RequestEvent {
	const url = new URL(`http://localhost${path}`);
	const request = { method, url: url.toString(), headers: new Headers(), formData: () => Promise.reject(new Error('the form was read before the role was checked')) };
	return {
		locals: { user, session: null },
		params: {},
		url,
		route: { id: null },
		isDataRequest: false,
		request,
		getClientAddress: () => '127.0.0.1',
		cookies: { get: () => undefined, set: () => {}, delete: () => {} }
	} as unknown as RequestEvent;
}

async function statusOf(run: () => unknown): Promise<number | string> {
	try {
		await run();
		return 'ok';
	} catch (err) {
		if (isHttpError(err)) return err.status;
		if (isRedirect(err)) return `redirect ${err.location}`;
		throw err;
	}
}

describe('coverage and roster routes', () => {
	it('refuse village staff and parties everywhere, and township people the county roster', async () => {
		const cases: [string, Handler, string[]][] = [
			['/coverage', coveragePage.load as Handler, ['chengnan.admin', 'mediator', 'villager', 'party']],
			['/roster', rosterPage.load as Handler, Object.keys(people)],
			...Object.entries(rosterPage.actions).map(([name, action]) => [`/roster?/${name}`, action as Handler, Object.keys(people)] as [string, Handler, string[]])
		];
		for (const [path, handler, usernames] of cases) {
			for (const username of usernames) {
				const method = path.includes('?/') ? 'POST' : 'GET';
				expect(await statusOf(() => handler(fakeEvent(people[username], method, path))), `${path} as ${username}`).toBe(403);
			}
		}
	});

	it('send the signed-out to the login page (GET) or answer 401 (POST)', async () => {
		expect(await statusOf(() => (coveragePage.load as Handler)(fakeEvent(null, 'GET', '/coverage')))).toBe('redirect /login?next=%2Fcoverage');
		expect(await statusOf(() => (rosterPage.load as Handler)(fakeEvent(null, 'GET', '/roster')))).toBe('redirect /login?next=%2Froster');
		for (const action of Object.values(rosterPage.actions)) expect(await statusOf(() => (action as Handler)(fakeEvent(null, 'POST', '/roster')))).toBe(401);
	});
});
