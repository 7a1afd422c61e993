import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Viewer } from '../../src/lib/types';
import * as adminIndex from '../../src/routes/(app)/admin/+page.server';
import * as departmentsPage from '../../src/routes/(app)/admin/departments/+page.server';
import * as peoplePage from '../../src/routes/(app)/admin/people/+page.server';
import * as personPage from '../../src/routes/(app)/admin/people/[id=id]/+page.server';
import * as newPersonPage from '../../src/routes/(app)/admin/people/new/+page.server';
import * as placesPage from '../../src/routes/(app)/admin/places/+page.server';
import * as directoryPage from '../../src/routes/(app)/people/+page.server';
import * as directoryEntryPage from '../../src/routes/(app)/people/[id=id]/+page.server';
import { SEED_TIMEOUT, seedAdminWorld, userId, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { routeEvent } from '../support/route-event';

/**
 * Every admin load and action guards itself: a signed-in non-admin gets 403 before anything is
 * read, whatever the layout above would have done. The guard runs before the database is touched,
 * so these events need no database behind them.
 */
type Handler = (event: RequestEvent) => unknown;

// Should a guard be missing, the route's getDb() must fail loudly rather than open the development
// database under ./data: point the process database at a port where nothing listens.
vi.hoisted(() => {
	process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:9/none';
});

const routes: [string, { load?: unknown; actions?: Record<string, unknown> }][] = [
	['/admin', adminIndex],
	['/admin/places', placesPage],
	['/admin/departments', departmentsPage],
	['/admin/people', peoplePage],
	['/admin/people/new', newPersonPage],
	['/admin/people/[id]', personPage]
];

let t: TestDatabase;
let staff: Record<string, Viewer>;

beforeAll(async () => {
	t = await createTestDatabase('demo');
	await seedAdminWorld(t.db);
	staff = {};
	for (const username of ['supervisor', 'mediator', 'villager', 'party']) staff[username] = await viewer(t.db, username);
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

/** A request whose body may not be read: a handler must refuse before it looks at the form. */
function fakeEvent(user: Viewer | null, method: 'GET' | 'POST', id = '1'): RequestEvent {
	return routeEvent(`/admin/people/${id}`, { user, method, params: { id } });
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

describe('admin routes', () => {
	it('answer 403 to every load and every action for signed-in people who are not admins', async () => {
		let checked = 0;
		for (const [path, mod] of routes) {
			for (const username of Object.keys(staff)) {
				const user = staff[username];
				if (mod.load) {
					expect(await statusOf(() => (mod.load as Handler)(fakeEvent(user, 'GET'))), `${path} load as ${username}`).toBe(403);
					checked++;
				}
				for (const [name, action] of Object.entries(mod.actions ?? {})) {
					expect(await statusOf(() => (action as Handler)(fakeEvent(user, 'POST'))), `${path} ?/${name} as ${username}`).toBe(403);
					checked++;
				}
			}
		}
		// 6 loads and 9 actions, for each of the 4 people.
		expect(checked).toBe(15 * 4);
	});

	it('send the signed-out to the login page (GET) or answer 401 (POST), from every load and action', async () => {
		for (const [path, mod] of routes) {
			if (mod.load) {
				expect(await statusOf(() => (mod.load as Handler)(fakeEvent(null, 'GET'))), `${path} load`).toBe('redirect /login?next=%2Fadmin%2Fpeople%2F1');
			}
			for (const [name, action] of Object.entries(mod.actions ?? {})) {
				expect(await statusOf(() => (action as Handler)(fakeEvent(null, 'POST'))), `${path} ?/${name}`).toBe(401);
			}
		}
	});
});

describe('staff directory routes', () => {
	it('answer 403 to a party', async () => {
		const party = staff.party;
		const id = String(await userId(t.db, 'villager'));
		expect(await statusOf(() => (directoryPage.load as Handler)(fakeEvent(party, 'GET')))).toBe(403);
		expect(await statusOf(() => (directoryEntryPage.load as Handler)(fakeEvent(party, 'GET', id)))).toBe(403);
	});
});
