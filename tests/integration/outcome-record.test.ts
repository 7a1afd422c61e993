import type { RequestEvent } from '@sveltejs/kit';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { auditLog, caseEvents, caseOutcomes, cases, outcomeResponses } from '../../src/lib/server/db/schema';
import type { Viewer } from '../../src/lib/types';
import * as page from '../../src/routes/(app)/cases/[id=id]/outcome/+page.server';
import { caseInMediation, setUpOutcomeWorld } from './outcome-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import type { PanelWorld } from './panel-fixtures';

/**
 * Recording a case's outcome through the outcome page: validated per kind (art. 26 routes for a
 * failure, art. 30 time for an oral agreement), refused for the wrong people and the wrong state,
 * and concluding (or, after a failure, escalating) the case through the state machine in the same
 * transaction as the outcome, its timeline row and its audit row.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

type Handler = (event: RequestEvent) => unknown;
let w: PanelWorld;
beforeAll(async () => {
	w = await setUpOutcomeWorld();
	database.db = w.t.db;
}, 180_000);
afterAll(() => w.t.destroy());

const ev = (user: Viewer | null, method: 'GET' | 'POST', form: Record<string, string | string[]> | null = null, id = String(w.caseId)) =>
	routeEvent(`/cases/${id}/outcome`, { user, method, form, params: { id } });
const load = (user: Viewer | null, id?: string) => routeOutcome(() => (page.load as Handler)(ev(user, 'GET', null, id)));
const record = (user: Viewer | null, form: Record<string, string | string[]>, id?: string) => routeOutcome(() => (page.actions.record as Handler)(ev(user, 'POST', form, id)));
const respond = (user: Viewer | null, form: Record<string, string>, id?: string) => routeOutcome(() => (page.actions.respond as Handler)(ev(user, 'POST', form, id)));

const oral = {
	kind: 'oral_agreement',
	content: '李某于十日内将围墙后移三十厘米，孙大伯不再追究。',
	reachedAt: '2026-11-20T10:30',
	outcomeClass: 'claim_resolved',
	petitionDecision: 'supported',
	reply: '经调解双方达成口头协议，本事项办结。'
};

async function counts() {
	const n = async (t: typeof caseOutcomes | typeof caseEvents | typeof auditLog | typeof outcomeResponses) => (await w.t.db.select({ n: count() }).from(t))[0].n;
	return { outcomes: await n(caseOutcomes), events: await n(caseEvents), audit: await n(auditLog), responses: await n(outcomeResponses) };
}

describe('recording the outcome', () => {
	it('guards every entry point', async () => {
		expect(await load(null)).toBe(`redirect /login?next=%2Fcases%2F${w.caseId}%2Foutcome`);
		expect(await routeOutcome(() => (page.actions.record as Handler)(ev(null, 'POST')))).toBe(401);
		expect(await routeOutcome(() => (page.actions.respond as Handler)(ev(null, 'POST')))).toBe(401);
		const outsider = w.viewers['qiujin.villager'];
		expect(await load(outsider)).toBe(404);
		expect(await record(outsider, oral)).toBe(404);
		expect(await respond(outsider, { partyId: String(w.partyIds.applicant), accepted: 'yes' })).toBe(404);
		// Those who see the case but do not run its mediation may not record its outcome.
		for (const who of [w.viewers.party, w.viewers.panelist, w.viewers.advisor]) expect(await record(who, oral), who.username!).toBe(403);
		expect(((await load(w.viewers.party)) as { view: { mayRecord: boolean } }).view.mayRecord).toBe(false);
		expect(((await load(w.viewers.mediator)) as { view: { mayRecord: boolean } }).view.mayRecord).toBe(true);
	});

	it('refuses incomplete input per kind, writing nothing', async () => {
		const before = await counts();
		const cases: [Record<string, string | string[]>, Record<string, string>][] = [
			[{}, { kind: 'err_oc_kind_required', content: 'err_oc_content_required', outcomeClass: 'err_oc_class_required', petitionDecision: 'err_oc_decision_required' }],
			[{ ...oral, reachedAt: '' }, { reachedAt: 'err_oc_reached_required' }],
			[{ ...oral, reachedAt: '2099-01-01T10:00' }, { reachedAt: 'err_oc_reached_future' }],
			[{ ...oral, reachedAt: 'yesterday' }, { reachedAt: 'err_oc_reached_invalid' }],
			[{ ...oral, kind: 'failure', outcomeClass: 'policy_explained' }, { routesTold: 'err_oc_routes_required' }],
			[{ ...oral, kind: 'failure', routesTold: ['litigation'] }, { outcomeClass: 'err_oc_class_failure' }],
			[{ ...oral, next: 'escalated' }, { next: 'err_oc_escalate_failure_only' }],
			[{ ...oral, reply: '' }, { reply: 'err_oc_reply_required' }],
			[{ ...oral, routesTold: ['court-of-heaven'] }, { routesTold: 'err_oc_route_invalid' }],
			// No signed agreement in force on this case: it cannot have ended in a written one.
			[{ ...oral, kind: 'written_agreement' }, { kind: 'err_oc_agreement_not_effective' }]
		];
		for (const [form, fields] of cases) {
			const result = (await record(w.viewers.mediator, form)) as { status: number; fields: Record<string, string> };
			expect(result.status, JSON.stringify(form)).toBe(400);
			expect(result.fields).toMatchObject(fields);
		}
		const refused = (await record(w.viewers.mediator, { ...oral, kind: 'failure', routesTold: ['arbitration', 'litigation'], content: '' })) as { values: Record<string, string> };
		expect(refused.values).toMatchObject({ kind: 'failure', routesTold: 'arbitration,litigation' });
		expect(await counts()).toEqual(before);
	});

	it('a party cannot answer an outcome that does not exist yet', async () => {
		expect(await respond(w.viewers.party, { partyId: String(w.partyIds.applicant), accepted: 'yes' })).toMatchObject({ status: 409, message: 'err_oc_no_outcome' });
	});

	it('records an oral agreement and concludes the case through the state machine, in one go', async () => {
		const before = await counts();
		expect(await record(w.viewers.mediator, oral)).toEqual({ action: 'record', done: 'oc_recorded_done' });
		const [row] = await w.t.db.select().from(cases).where(eq(cases.id, w.caseId));
		expect(row).toMatchObject({ status: 'concluded', conclusionReason: '经调解，双方达成口头调解协议', conclusionSummary: oral.reply });
		const [outcome] = await w.t.db.select().from(caseOutcomes).where(eq(caseOutcomes.caseId, w.caseId));
		// Art. 30: binding from when it was reached, 10:30 Shanghai time.
		expect(outcome).toMatchObject({ kind: 'oral_agreement', content: oral.content, next: 'concluded', reachedAt: new Date('2026-11-20T02:30:00Z') });
		const after = await counts();
		expect(after.outcomes - before.outcomes).toBe(1);
		const audit = await w.t.db.select().from(auditLog).where(eq(auditLog.subjectId, String(w.caseId))).orderBy(auditLog.id);
		expect(audit.slice(-2).map((a) => a.action)).toEqual(['case.transition', 'outcome.record']);
		const kinds = (await w.t.db.select({ kind: caseEvents.kind }).from(caseEvents).where(eq(caseEvents.caseId, w.caseId))).map((e) => e.kind);
		expect(kinds).toEqual(expect.arrayContaining(['conclude', 'outcome_record']));
		// A concluded case takes no second outcome: the state machine refuses the step, and nothing is written.
		const concluded = await counts();
		expect(await record(w.viewers.mediator, oral)).toMatchObject({ status: 409, message: 'err_wrong_state' });
		expect(await counts()).toEqual(concluded);
	});

	it('records each party’s acceptance or refusal with the reason; a party answers only for themselves', async () => {
		const party = w.viewers.party;
		expect(await respond(party, { partyId: String(w.partyIds.applicant), accepted: 'no', reason: '' })).toMatchObject({ status: 400, fields: { reason: 'err_oc_refusal_reason_required' } });
		expect(await respond(party, { partyId: String(w.partyIds.respondent), accepted: 'yes' })).toBe(403);
		expect(await respond(w.viewers.panelist, { partyId: String(w.partyIds.respondent), accepted: 'yes' })).toBe(403);
		expect(await respond(party, { partyId: String(w.partyIds.applicant), accepted: 'no', reason: '三十厘米不够' })).toEqual({ action: 'respond', done: 'oc_response_done' });
		expect(await respond(w.viewers.mediator, { partyId: String(w.partyIds.respondent), accepted: 'yes' })).toEqual({ action: 'respond', done: 'oc_response_done' });
		const view = ((await load(party)) as { view: { parties: { side: string; mine: boolean; responses: { accepted: boolean; reason: string | null }[] }[]; respondFor: number[] } }).view;
		expect(view.respondFor).toEqual([w.partyIds.applicant]);
		expect(view.parties.map((p) => [p.side, p.mine, p.responses.map((r) => [r.accepted, r.reason])])).toEqual([
			['applicant', true, [[false, '三十厘米不够']]],
			['respondent', false, [[true, null]]]
		]);
		expect((await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'outcome.response')).orderBy(auditLog.id)).map((a) => (a.data as { accepted: boolean }).accepted)).toEqual([false, true]);
	});

	it('a failure keeps the routes told and refers the case to the next level instead of concluding it', async () => {
		const caseId = await caseInMediation(w);
		const failure = { kind: 'failure', content: '双方分歧过大，被申请人拒绝任何方案。', routesTold: ['arbitration', 'litigation'], outcomeClass: 'policy_explained', petitionDecision: 'explained', next: 'escalated' };
		expect(await record(w.viewers.mediator, failure, String(caseId))).toEqual({ action: 'record', done: 'oc_recorded_done' });
		const [row] = await w.t.db.select().from(cases).where(eq(cases.id, caseId));
		// The village case goes up to the township, back to `accepted` there, its mediator cleared.
		expect(row).toMatchObject({ status: 'accepted', mediatorId: null, placeId: w.placeIds['涂埠镇'] });
		const [outcome] = await w.t.db.select().from(caseOutcomes).where(eq(caseOutcomes.caseId, caseId));
		expect(outcome).toMatchObject({ kind: 'failure', routesTold: ['arbitration', 'litigation'], next: 'escalated', reachedAt: null });
		const [step] = await w.t.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.id).then((r) => r.filter((e) => e.kind === 'escalate'));
		expect(step).toBeDefined();
	});
});
