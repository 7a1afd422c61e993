import type { RequestEvent } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import type { Db } from '../../src/lib/server/db';
import { auditLog, returnVisits, termPerformance } from '../../src/lib/server/db/schema';
import { listReminders } from '../../src/lib/server/outcomes/list-reminders';
import { recordOutcome } from '../../src/lib/server/outcomes/record-outcome';
import type { Viewer } from '../../src/lib/types';
import * as homePage from '../../src/routes/(app)/+page.server';
import * as page from '../../src/routes/(app)/cases/[id=id]/outcome/follow-up/+page.server';
import { setUpOutcomeWorld } from './outcome-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import type { PanelWorld } from './panel-fixtures';
import { effectiveAgreement } from './pdf-fixtures';

/**
 * After the agreement: performance of each term (art. 31) with the mediator's home-page reminders,
 * the 30-day window for judicial confirmation (art. 33), and return visits with satisfaction.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

type Handler = (event: RequestEvent) => unknown;
let w: PanelWorld;
let termIds: number[];
const today = shanghaiDate(new Date());
beforeAll(async () => {
	w = await setUpOutcomeWorld();
	database.db = w.t.db;
	({ termIds } = await effectiveAgreement(w, w.caseId));
}, 180_000);
afterAll(() => w.t.destroy());

const ev = (user: Viewer | null, method: 'GET' | 'POST', form: Record<string, string> | null = null) =>
	routeEvent(`/cases/${w.caseId}/outcome/follow-up`, { user, method, form, params: { id: String(w.caseId) } });
type View = { view: { agreement: { effectiveOn: string; confirmBy: string; daysLeft: number }; terms: { id: number; state: string; latest: unknown }[]; copies: { holder: string }[]; visits: { satisfaction: number }[] } };
const load = async (user: Viewer | null) => (await routeOutcome(() => (page.load as Handler)(ev(user, 'GET')))) as View;
const perform = (user: Viewer | null, form: Record<string, string>) => routeOutcome(() => (page.actions.performance as Handler)(ev(user, 'POST', form)));
const visit = (user: Viewer | null, form: Record<string, string>) => routeOutcome(() => (page.actions.visit as Handler)(ev(user, 'POST', form)));

describe('follow-up after the agreement', () => {
	it('guards every entry point', async () => {
		expect(await load(null)).toBe(`redirect /login?next=%2Fcases%2F${w.caseId}%2Foutcome%2Ffollow-up`);
		expect(await routeOutcome(() => (page.actions.performance as Handler)(ev(null, 'POST')))).toBe(401);
		expect(await routeOutcome(() => (page.actions.visit as Handler)(ev(null, 'POST')))).toBe(401);
		const outsider = w.viewers['qiujin.villager'];
		expect(await load(outsider)).toBe(404);
		expect(await perform(outsider, { termId: String(termIds[0]), done: 'yes', doneOn: today })).toBe(404);
		expect(await perform(w.viewers.party, { termId: String(termIds[0]), done: 'yes', doneOn: today })).toBe(403);
		expect(await visit(w.viewers.panelist, { partyId: String(w.partyIds.applicant), visitedOn: today, method: 'phone', satisfaction: '5' })).toBe(403);
	});

	it('shows the art. 33 window from the effective date, and each viewer the copies that are theirs', async () => {
		const mediator = await load(w.viewers.mediator);
		expect(mediator.view.agreement).toEqual({ effectiveOn: today, confirmBy: addDays(today, 30), daysLeft: 30 });
		expect(mediator.view.copies.map((c) => c.holder)).toEqual([String(w.partyIds.applicant), String(w.partyIds.respondent), 'committee']);
		expect((await load(w.viewers.party)).view.copies.map((c) => c.holder)).toEqual([String(w.partyIds.applicant)]);
		expect((await load(w.viewers.panelist)).view.copies).toEqual([]);
		// The first term is due today, the second has no due date.
		expect(mediator.view.terms.map((t) => t.state)).toEqual(['due', 'pending']);
	});

	it('reminds the mediator of terms due soon or overdue and of the closing confirmation window', async () => {
		expect((await listReminders(w.t.db, w.viewers.mediator)).map((r) => [r.kind, r.seq, r.state])).toEqual([['term', 1, 'due']]);
		const later = new Date(Date.now() + 25 * 86_400_000);
		expect((await listReminders(w.t.db, w.viewers.mediator, { now: later })).map((r) => [r.kind, r.state, r.dueOn])).toEqual([
			['term', 'overdue', today],
			['confirmation', 'closing', addDays(today, 30)]
		]);
		// Only the case's own mediator is reminded.
		expect(await listReminders(w.t.db, w.viewers['chengnan.mediator'], { now: later })).toEqual([]);
		const home = (await routeOutcome(() => (homePage.load as Handler)(routeEvent('/', { user: w.viewers.mediator })))) as { reminders: unknown[] };
		expect(home.reminders).toHaveLength(1);
		const partyHome = (await routeOutcome(() => (homePage.load as Handler)(routeEvent('/', { user: w.viewers.party })))) as { reminders: unknown[] };
		expect(partyHome.reminders).toEqual([]);
	});

	it('refuses a statement without what it needs, writing nothing', async () => {
		const term = String(termIds[0]);
		const cases: [Record<string, string>, Record<string, string>][] = [
			[{ termId: term }, { done: 'err_fu_done_required' }],
			[{ termId: term, done: 'yes' }, { doneOn: 'err_fu_done_on_required' }],
			[{ termId: term, done: 'yes', doneOn: addDays(today, 1) }, { doneOn: 'err_fu_date_future' }],
			[{ termId: term, done: 'yes', doneOn: addDays(today, -1) }, { doneOn: 'err_fu_before_effective' }],
			[{ termId: term, done: 'yes', doneOn: '2026-13-01' }, { doneOn: 'err_fu_date_invalid' }],
			[{ termId: term, done: 'no' }, { note: 'err_fu_note_required' }],
			[{ termId: '999999', done: 'no', note: '催告' }, { termId: 'err_fu_term_required' }]
		];
		for (const [form, fields] of cases) expect(await perform(w.viewers.mediator, form), JSON.stringify(form)).toMatchObject({ status: 400, fields });
		expect(await w.t.db.select().from(termPerformance)).toEqual([]);
	});

	it('records performance; a performed term leaves the reminders', async () => {
		expect(await perform(w.viewers.mediator, { termId: String(termIds[0]), done: 'no', note: '李某说下周拆' })).toEqual({ action: 'performance', target: String(termIds[0]), done: 'fu_performance_done' });
		expect((await load(w.viewers.party)).view.terms[0]).toMatchObject({ state: 'due', latest: { done: false, note: '李某说下周拆' } });
		expect(await perform(w.viewers.mediator, { termId: String(termIds[0]), done: 'yes', doneOn: today })).toMatchObject({ done: 'fu_performance_done' });
		expect((await load(w.viewers.mediator)).view.terms[0]).toMatchObject({ state: 'done', latest: { done: true, doneOn: today } });
		expect(await listReminders(w.t.db, w.viewers.mediator)).toEqual([]);
		const audit = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'followup.performance')).orderBy(auditLog.id);
		expect(audit.map((a) => (a.data as { done: boolean }).done)).toEqual([false, true]);
	});

	it('return visits need an outcome and take a satisfaction from 1 to 5', async () => {
		const good = { partyId: String(w.partyIds.applicant), visitedOn: today, method: 'phone', satisfaction: '5', comment: '围墙已经拆了，很满意' };
		expect(await visit(w.viewers.mediator, good)).toMatchObject({ status: 409, message: 'err_oc_no_outcome' });
		await recordOutcome(w.t.db, w.viewers.mediator, w.caseId, {
			kind: 'written_agreement',
			content: '双方签订书面调解协议。',
			outcomeClass: 'claim_resolved',
			petitionDecision: 'supported',
			reply: '经调解双方达成书面协议，本事项办结。'
		});
		for (const [form, fields] of [
			[{ ...good, satisfaction: '0' }, { satisfaction: 'err_fu_satisfaction_required' }],
			[{ ...good, satisfaction: '6' }, { satisfaction: 'err_fu_satisfaction_required' }],
			[{ ...good, visitedOn: addDays(today, 1) }, { visitedOn: 'err_fu_date_future' }],
			[{ ...good, visitedOn: '' }, { visitedOn: 'err_fu_visited_on_required' }],
			[{ ...good, method: 'pigeon' }, { method: 'err_fu_method_required' }]
		] as const) {
			expect(await visit(w.viewers.mediator, form), JSON.stringify(form)).toMatchObject({ status: 400, fields });
		}
		expect(await w.t.db.select().from(returnVisits)).toEqual([]);
		expect(await visit(w.viewers.mediator, good)).toEqual({ action: 'visit', done: 'fu_visit_done' });
		expect((await load(w.viewers.party)).view.visits).toEqual([expect.objectContaining({ satisfaction: 5, comment: '围墙已经拆了，很满意' })]);
		expect(await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'followup.visit'))).toHaveLength(1);
	});
});
