import type { RequestEvent } from '@sveltejs/kit';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { mediationSessions, panelMembers } from '../../src/lib/server/db/schema';
import type { Viewer } from '../../src/lib/types';
import * as panelPage from '../../src/routes/(app)/cases/[id=id]/panel/+page.server';
import * as sessionsPage from '../../src/routes/(app)/cases/[id=id]/sessions/+page.server';
import { inHours, setUpPanelWorld, type PanelWorld } from './panel-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';

/**
 * The panel and sessions pages, through their real load and action functions: each entry point
 * guards itself (signed out → login / 401 before the form is read; outside the case's scope → 404;
 * without the power → 403) and maps refused input back to the form with its values.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

type Handler = (event: RequestEvent) => unknown;
let w: PanelWorld;
beforeAll(async () => {
	w = await setUpPanelWorld();
	database.db = w.t.db;
}, 180_000);
afterAll(() => w.t.destroy());

function event(user: Viewer | null, method: 'GET' | 'POST', form: Record<string, string> | null = null, id = String(w.caseId)): RequestEvent {
	return routeEvent(`/cases/${id}/panel`, { user, method, form, params: { id } });
}


const pages: [string, { load: unknown; actions: Record<string, unknown> }][] = [
	['panel', panelPage],
	['sessions', sessionsPage]
];

describe('panel and sessions pages', () => {
	it('send the signed-out to the login page (GET) or answer 401 (POST), before reading anything', async () => {
		for (const [name, mod] of pages) {
			expect(await routeOutcome(() => (mod.load as Handler)(event(null, 'GET')))).toBe(`redirect /login?next=%2Fcases%2F${w.caseId}%2Fpanel`);
			for (const [action, run] of Object.entries(mod.actions)) expect(await routeOutcome(() => (run as Handler)(event(null, 'POST'))), `${name} ?/${action}`).toBe(401);
		}
	});

	it('answer 404 to someone outside the case’s scope, from every load and action, and to unknown ids', async () => {
		const outsider = w.viewers['qiujin.villager'];
		const form = { candidate: `${outsider.id}:legal_villager`, partiesConsent: '同意', sessionId: '1', reason: 'x', name: 'x', capacity: 'relative' };
		for (const [name, mod] of pages) {
			expect(await routeOutcome(() => (mod.load as Handler)(event(outsider, 'GET')))).toBe(404);
			expect(await routeOutcome(() => (mod.load as Handler)(event(w.viewers.mediator, 'GET', null, '999999')))).toBe(404);
			for (const [action, run] of Object.entries(mod.actions)) {
				expect(await routeOutcome(() => (run as Handler)(event(outsider, 'POST', form))), `${name} ?/${action}`).toBe(404);
			}
		}
	});

	it('let a party view both pages and answer 403 when they try to change them', async () => {
		const party = w.viewers.party;
		const panel = (await routeOutcome(() => (panelPage.load as Handler)(event(party, 'GET')))) as { panel: { mayRun: boolean; pool: unknown } };
		expect(panel.panel).toMatchObject({ mayRun: false, pool: null });
		expect(await routeOutcome(() => (sessionsPage.load as Handler)(event(party, 'GET')))).toMatchObject({ view: { mayRun: false } });
		const invite = { candidate: `${w.viewers.advisor.id}:legal_advisor`, partiesConsent: '同意' };
		expect(await routeOutcome(() => (panelPage.actions.invite as Handler)(event(party, 'POST', invite)))).toBe(403);
		expect(await routeOutcome(() => (sessionsPage.actions.schedule as Handler)(event(party, 'POST', { scheduledAt: '2099-01-01T10:00', remote: 'on', openness: 'open' })))).toBe(403);
	});

	it('return refused input to the form with field errors and the values sent, writing nothing', async () => {
		const mediator = w.viewers.mediator;
		const [{ n: before }] = await w.t.db.select({ n: count() }).from(panelMembers);
		const sent = { candidate: `${w.viewers.advisor.id}:legal_advisor`, partiesConsent: '' };
		expect(await routeOutcome(() => (panelPage.actions.invite as Handler)(event(mediator, 'POST', sent)))).toEqual({
			status: 400,
			action: 'invite',
			message: 'err_form',
			fields: { partiesConsent: 'err_pn_consent_required' },
			values: sent
		});
		const [{ n: after }] = await w.t.db.select({ n: count() }).from(panelMembers);
		expect(after).toBe(before);
		const noPlace = { scheduledAt: '2000-01-01T10:00', location: '', openness: 'closed' };
		expect(await routeOutcome(() => (sessionsPage.actions.schedule as Handler)(event(mediator, 'POST', noPlace)))).toMatchObject({
			status: 400,
			fields: { scheduledAt: 'err_ss_in_past', location: 'err_ss_place_required' },
			values: noPlace
		});
	});

	it('carry out the mediator’s actions and say so', async () => {
		const mediator = w.viewers.mediator;
		const invite = { candidate: `${w.viewers.advisor.id}:legal_advisor`, partiesConsent: '双方当事人当面口头同意' };
		expect(await routeOutcome(() => (panelPage.actions.invite as Handler)(event(mediator, 'POST', invite)))).toEqual({ action: 'invite', done: 'pn_invited_done' });
		const local = new Date(inHours(2).getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
		expect(await routeOutcome(() => (sessionsPage.actions.schedule as Handler)(event(mediator, 'POST', { scheduledAt: local, location: '城南村调解室', openness: 'closed' })))).toEqual({
			action: 'schedule',
			done: 'ss_scheduled_done',
			doneParams: { seq: 1 }
		});
		const [session] = await w.t.db.select().from(mediationSessions).where(eq(mediationSessions.caseId, w.caseId));
		const start = { sessionId: String(session.id) };
		// Ending is taken only with its box ticked, before anything else is looked at.
		expect(await routeOutcome(() => (sessionsPage.actions.end as Handler)(event(mediator, 'POST', start)))).toEqual({
			status: 400,
			action: 'end',
			target: String(session.id),
			message: 'wd_err_confirm',
			fields: { confirm: 'wd_err_confirm' },
			values: start
		});
		const confirmedEnd = { ...start, confirm: 'on' };
		expect(await routeOutcome(() => (sessionsPage.actions.end as Handler)(event(mediator, 'POST', confirmedEnd)))).toEqual({
			status: 409,
			action: 'end',
			target: String(session.id),
			message: 'err_ss_not_started',
			fields: {},
			values: confirmedEnd
		});
		expect(await routeOutcome(() => (sessionsPage.actions.start as Handler)(event(mediator, 'POST', start)))).toEqual({ action: 'start', target: String(session.id), done: 'ss_start_done' });
	});
});
