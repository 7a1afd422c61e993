import type { RequestEvent } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { notices, panelMembers, rateLimits } from '../../src/lib/server/db/schema';
import { inviteMember } from '../../src/lib/server/mediation/panel/invite-member';
import { scheduleSession } from '../../src/lib/server/mediation/sessions/schedule-session';
import * as home from '../../src/routes/(app)/+page.server';
import * as layout from '../../src/routes/(app)/+layout.server';
import * as openNotice from '../../src/routes/(app)/notices/[id]/+server';
import * as calendar from '../../src/routes/(app)/sessions/[id]/calendar.ics/+server';
import type { Viewer } from '../../src/lib/types';
import { routeEvent, routeOutcome } from '../support/route-event';
import { inHours, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

/** The routes of the notices guard themselves: signed in, own notices only, within a budget. */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

let w: PanelWorld;
let sessionId: number;
beforeAll(async () => {
	w = await setUpPanelWorld();
	database.db = w.t.db;
	await inviteMember(w.t.db, w.viewers.mediator, w.caseId, { userId: w.viewers.panelist.id, memberType: 'veteran_party_member', partiesConsent: '双方同意' });
	({ sessionId } = await scheduleSession(w.t.db, w.viewers.mediator, w.caseId, { scheduledAt: inHours(30), location: '城南村调解室', openness: 'closed' }));
}, 180_000);
afterAll(() => w.t.destroy());

type Handler = (e: RequestEvent) => unknown;
const get = (handler: Handler, path: string, user: Viewer | null, params: Record<string, string>) => routeOutcome(() => handler(routeEvent(path, { user, params })));
const post = (action: Handler, user: Viewer | null, form: Record<string, string>) => routeOutcome(() => action(routeEvent('/', { user, form })));
const inviteNotice = async () =>
	(await w.t.db.select().from(notices).where(and(eq(notices.userId, w.viewers.panelist.id), eq(notices.caseId, w.caseId), eq(notices.kind, 'panel_invited'))))[0];

describe('the header count and the home page', () => {
	it('counts only the signed-in person’s unread notices; the home page lists his invitation and panel', async () => {
		expect(await get(layout.load as Handler, '/', w.viewers.panelist, {})).toMatchObject({ unread: 2 });
		expect(await get(layout.load as Handler, '/', w.viewers['qiujin.villager'], {})).toMatchObject({ unread: 0 });
		const data = (await get(home.load as Handler, '/', w.viewers.panelist, {})) as { notices: { caseId: number; kind: string }[]; myPanels: { caseId: number; awaits: string }[] };
		expect(data.notices.filter((n) => n.caseId === w.caseId).map((n) => n.kind).sort()).toEqual(['panel_invited', 'session_scheduled']);
		expect(data.myPanels.find((p) => p.caseId === w.caseId)?.awaits).toBe('declare');
	});
});

describe('opening a notice', () => {
	it('asks a stranger to sign in, and answers 404 to anyone but the recipient, leaving it unread', async () => {
		const n = await inviteNotice();
		expect(await get(openNotice.GET as Handler, `/notices/${n.id}`, null, { id: String(n.id) })).toBe(`redirect /login?next=%2Fnotices%2F${n.id}`);
		expect(await get(openNotice.GET as Handler, `/notices/${n.id}`, w.viewers.mediator, { id: String(n.id) })).toBe(404);
		expect(await get(openNotice.GET as Handler, '/notices/x', w.viewers.panelist, { id: 'x' })).toBe(404);
		expect((await inviteNotice()).readAt).toBeNull();
	});

	it('marks it read for the recipient and goes where it leads', async () => {
		const n = await inviteNotice();
		expect(await get(openNotice.GET as Handler, `/notices/${n.id}`, w.viewers.panelist, { id: String(n.id) })).toBe(`redirect /cases/${w.caseId}/panel`);
		expect((await inviteNotice()).readAt).not.toBeNull();
	});
});

describe('declaring from the home page', () => {
	it('refuses without the tick, refilling nothing it should not; refuses an outsider; then declares', async () => {
		const declare = home.actions.declare as Handler;
		expect(await post(declare, w.viewers.panelist, { caseId: String(w.caseId) })).toMatchObject({ status: 400, message: 'nt_err_confirm', caseId: String(w.caseId) });
		expect(await post(declare, w.viewers['qiujin.villager'], { caseId: String(w.caseId), confirm: 'yes' })).toBe(404);
		expect(await post(declare, null, { caseId: String(w.caseId), confirm: 'yes' })).toBe(401);
		expect(await post(declare, w.viewers.panelist, { caseId: String(w.caseId), confirm: 'yes' })).toMatchObject({ declared: true });
		const [member] = await w.t.db.select().from(panelMembers).where(and(eq(panelMembers.caseId, w.caseId), eq(panelMembers.userId, w.viewers.panelist.id)));
		expect(member.conflict).toBe('no_conflict');
	});

	it('stops at the budget before doing any work', async () => {
		await w.t.db.insert(rateLimits).values({ key: `notice-action:user:${w.viewers.party.id}`, count: 10_000, windowStart: new Date() });
		expect(await post(home.actions.markAllRead as Handler, w.viewers.party, {})).toMatchObject({ status: 429, message: 'nt_err_busy' });
		expect((await w.t.db.select().from(notices).where(eq(notices.userId, w.viewers.party.id))).every((n) => n.readAt === null)).toBe(true);
	});
});

describe('the calendar file of a session', () => {
	it('is served to those who see the case, as text/calendar, and is 404 to others and 401/redirect to strangers', async () => {
		const response = (await get(calendar.GET as Handler, `/sessions/${sessionId}/calendar.ics`, w.viewers.panelist, { id: String(sessionId) })) as Response;
		expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="session-\d{4}-\d{6}-1\.ics"$/);
		expect(await response.text()).toContain('SUMMARY:');
		expect(await get(calendar.GET as Handler, `/sessions/${sessionId}/calendar.ics`, w.viewers['qiujin.villager'], { id: String(sessionId) })).toBe(404);
		expect(await get(calendar.GET as Handler, `/sessions/${sessionId}/calendar.ics`, null, { id: String(sessionId) })).toMatch(/^redirect \/login/);
		expect(await get(calendar.GET as Handler, '/sessions/0/calendar.ics', w.viewers.panelist, { id: '0' })).toBe(404);
	});
});
