import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Viewer } from '../../src/lib/types';
import * as coveragePage from '../../src/routes/(app)/coverage/+page.server';
import * as rosterPage from '../../src/routes/(app)/roster/+page.server';
import * as meetingsPage from '../../src/routes/(app)/supervision/meetings/+page.server';
import * as meetingPage from '../../src/routes/(app)/supervision/meetings/[id=id]/+page.server';
import * as minutesPdf from '../../src/routes/(app)/supervision/meetings/[id=id]/minutes.pdf/+server';
import * as myActionsPage from '../../src/routes/(app)/meeting-actions/+page.server';
import * as circularPage from '../../src/routes/(app)/stats/assessment/+page.server';
import * as circularPdf from '../../src/routes/(app)/stats/assessment.pdf/+server';
import * as weightsPage from '../../src/routes/(app)/admin/assessment/+page.server';
import { SEED_TIMEOUT, seedAdminWorld, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { routeEvent } from '../support/route-event';

/**
 * The coverage, roster and meeting pages guard every load and action themselves, before the form or the
 * database is touched (the process database points where nothing listens).
 */
type Handler = (event: RequestEvent) => unknown;

vi.hoisted(() => {
	process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:9/none';
});

let t: TestDatabase;
const people: Record<string, Viewer> = {};

beforeAll(async () => {
	t = await createTestDatabase('demo');
	await seedAdminWorld(t.db);
	for (const username of ['tubu.supervisor', 'tubu.admin', 'chengnan.admin', 'mediator', 'villager', 'party', 'advisor', 'agent']) people[username] = await viewer(t.db, username);
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

function fakeEvent(user: Viewer | null, method: 'GET' | 'POST', path: string): RequestEvent {
	return routeEvent(path, { user, method, params: { id: '1' } });
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

describe('meeting routes', () => {
	it('refuse everyone but county and township supervisors, and the meeting decisions page everyone but mediators and supervisors', async () => {
		const supervisorsOnly = ['tubu.admin', 'chengnan.admin', 'mediator', 'villager', 'party', 'advisor', 'agent'];
		const cases: [string, Handler, string[]][] = [
			['/supervision/meetings', meetingsPage.load as Handler, supervisorsOnly],
			['/supervision/meetings/1', meetingPage.load as Handler, supervisorsOnly],
			['/supervision/meetings/1/minutes.pdf', minutesPdf.GET as Handler, supervisorsOnly],
			['/meeting-actions', myActionsPage.load as Handler, ['tubu.admin', 'chengnan.admin', 'villager', 'party', 'advisor', 'agent']],
			...Object.entries(meetingsPage.actions).map(([name, action]) => [`/supervision/meetings?/${name}`, action as Handler, supervisorsOnly] as [string, Handler, string[]]),
			...Object.entries(meetingPage.actions).map(([name, action]) => [`/supervision/meetings/1?/${name}`, action as Handler, supervisorsOnly] as [string, Handler, string[]]),
			...Object.entries(myActionsPage.actions).map(([name, action]) => [`/meeting-actions?/${name}`, action as Handler, ['tubu.admin', 'villager', 'party', 'advisor', 'agent']] as [string, Handler, string[]])
		];
		for (const [path, handler, usernames] of cases) {
			for (const username of usernames) {
				const method = path.includes('?/') ? 'POST' : 'GET';
				expect(await statusOf(() => handler(fakeEvent(people[username], method, path))), `${path} as ${username}`).toBe(403);
			}
		}
	});

	it('send the signed-out to the login page (GET) or answer 401 (POST)', async () => {
		expect(await statusOf(() => (meetingsPage.load as Handler)(fakeEvent(null, 'GET', '/supervision/meetings')))).toBe('redirect /login?next=%2Fsupervision%2Fmeetings');
		for (const action of [...Object.values(meetingsPage.actions), ...Object.values(meetingPage.actions), ...Object.values(myActionsPage.actions)]) {
			expect(await statusOf(() => (action as Handler)(fakeEvent(null, 'POST', '/supervision/meetings')))).toBe(401);
		}
	});
});

describe('assessment routes', () => {
	it('refuse the circular to village staff, mediators and parties, its good practice to townships, and the weights to all but county admins', async () => {
		const readers = ['chengnan.admin', 'mediator', 'villager', 'party', 'advisor', 'agent'];
		const cases: [string, Handler, string[]][] = [
			['/stats/assessment', circularPage.load as Handler, readers],
			['/stats/assessment.pdf?period=2026', circularPdf.GET as Handler, readers],
			['/stats/assessment?/practice', circularPage.actions.practice as Handler, [...readers]],
			['/admin/assessment', weightsPage.load as Handler, Object.keys(people)],
			['/admin/assessment?/save', weightsPage.actions.save as Handler, Object.keys(people)]
		];
		for (const [path, handler, usernames] of cases) {
			for (const username of usernames) {
				const method = path.includes('?/') ? 'POST' : 'GET';
				expect(await statusOf(() => handler(fakeEvent(people[username], method, path))), `${path} as ${username}`).toBe(403);
			}
		}
	});

	it('send the signed-out to the login page (GET) or answer 401 (POST)', async () => {
		expect(await statusOf(() => (circularPage.load as Handler)(fakeEvent(null, 'GET', '/stats/assessment')))).toBe('redirect /login?next=%2Fstats%2Fassessment');
		expect(await statusOf(() => (weightsPage.actions.save as Handler)(fakeEvent(null, 'POST', '/admin/assessment')))).toBe(401);
		expect(await statusOf(() => (circularPage.actions.practice as Handler)(fakeEvent(null, 'POST', '/stats/assessment')))).toBe(401);
	});
});
