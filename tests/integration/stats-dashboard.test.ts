import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { agreements, agreementTerms, auditLog, caseOutcomes, caseParties, cases, caseStatCounts, returnVisits, termPerformance } from '../../src/lib/server/db/schema';
import { eq, sql } from 'drizzle-orm';
import { readChainHead } from '../../src/lib/server/audit/chain-head';
import { loadDashboard } from '../../src/lib/server/stats/dashboard';
import type { Viewer } from '../../src/lib/types';
import * as exportRoute from '../../src/routes/(app)/stats/export.csv/+server';
import * as reportPdf from '../../src/routes/(app)/stats/report.pdf/+server';
import { pdfText } from '../support/pdf-read';
import * as statsPage from '../../src/routes/(app)/stats/+page.server';
import { outcome, setUpCasework, type Casework } from './casework-fixtures';
import { matterAdder } from './stats-fixtures';
import { routeEvent } from '../support/route-event';

/**
 * Every figure of the dashboard on a small fixed set of matters (March 2024, hand-counted below), in a
 * period far from the demo's own matters so they do not count. Shanghai dates: a matter registered at
 * 23:30 on 31 March Beijing time is March's; one at 00:10 on 1 April is not, though both are 31 March in UTC.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
// getReadDb: these routes' lag-tolerant reads (http/read-your-writes.ts); one database here.
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db, getReadDb: async () => database.db as Db }));

let w: Casework;
let addMatter: ReturnType<typeof matterAdder>;
let inMediation: number;

const MARCH = { period: { from: '2024-03-01', to: '2024-03-31' }, placeId: null };

beforeAll(async () => {
	w = await setUpCasework();
	database.db = w.t.db;
	addMatter = matterAdder(w);
	// March 2024, the period under test.
	const first = await addMatter({ place: '城南村', category: 'neighbours', channel: 'walk_in', registered: '2024-03-01T10:00:00', status: 'concluded', accepted: '2024-03-02T09:00:00', concluded: '2024-03-20T16:00:00', concludeDue: '2024-05-01', rating: [5, '2024-03-21T08:00:00'] });
	const second = await addMatter({ place: '城南村', category: 'neighbours', channel: 'agent', filedBy: 'agent', registered: '2024-03-05T11:00:00', status: 'concluded', repeat: true, accepted: '2024-03-06T09:00:00', concluded: '2024-04-10T09:00:00', concludeDue: '2024-05-06' });
	await addMatter({ place: '河东村', category: 'debt', channel: 'phone', registered: '2024-03-10T15:00:00', status: 'not_accepted', escalated: true });
	inMediation = await addMatter({ place: '虬津村', category: 'land_forest', channel: 'online', registered: '2024-03-31T23:30:00', status: 'in_mediation', accepted: '2024-04-01T09:00:00' });
	// 1 April in Shanghai: April's, not March's.
	await addMatter({ place: '城南村', category: 'debt', channel: 'phone', registered: '2024-04-01T00:10:00' });
	// Registered in January, concluded in March, four days late: counts for conclusion, not for intake.
	const january = await addMatter({ place: '城南村', category: 'neighbours', channel: 'walk_in', registered: '2024-01-10T09:00:00', status: 'concluded', accepted: '2024-01-11T09:00:00', concluded: '2024-03-15T10:00:00', concludeDue: '2024-03-11', rating: [4, '2024-03-16T10:00:00'] });
	// The same period last year (March 2023), and the previous period (February 2024).
	await addMatter({ place: '城南村', category: 'neighbours', channel: 'walk_in', registered: '2023-03-08T10:00:00' });
	await addMatter({ place: '虬津村', category: 'debt', channel: 'walk_in', registered: '2023-03-20T10:00:00', repeat: true });
	await addMatter({ place: '河东村', category: 'debt', channel: 'phone', registered: '2024-02-15T10:00:00', escalated: true });
	// Outcomes recorded in March (the January matter's first, failed outcome is superseded by a later one),
	// one in April; one written agreement effective in March, one still frozen.
	const mediator = w.viewers.mediator.id;
	const outcome = (caseId: number, recorded: string, kind: typeof caseOutcomes.$inferInsert.kind, outcomeClass: typeof caseOutcomes.$inferInsert.outcomeClass, petitionDecision: typeof caseOutcomes.$inferInsert.petitionDecision) => ({
		caseId, kind, outcomeClass, petitionDecision, content: '测试', reachedAt: new Date(`${recorded}+08:00`), routesTold: kind === 'failure' ? ['litigation'] : [], next: 'concluded' as const, recordedById: mediator, recordedAt: new Date(`${recorded}+08:00`)
	});
	await w.t.db.insert(caseOutcomes).values([
		outcome(first, '2024-03-20T16:00:00', 'written_agreement', 'claim_resolved', 'supported'),
		outcome(january, '2024-03-10T10:00:00', 'failure', 'policy_explained', 'not_supported'),
		outcome(january, '2024-03-15T10:00:00', 'oral_agreement', 'hardship_aided', 'explained'),
		outcome(second, '2024-04-10T09:00:00', 'written_agreement', 'claim_resolved', 'supported')
	]);
	const agreement = (caseId: number, status: 'frozen' | 'effective', effectiveOn: string | null) => ({
		caseId, status, frozenText: '协议', frozenHash: 'a'.repeat(64), effectiveOn, createdById: mediator, createdAt: new Date(), updatedAt: new Date()
	});
	const [effective] = await w.t.db
		.insert(agreements)
		.values([agreement(first, 'effective', '2024-03-20'), agreement(second, 'frozen', null)])
		.returning({ id: agreements.id });
	// Its terms: due 25 March and performed, due 28 March and reported not performed, due in April.
	const terms = await w.t.db
		.insert(agreementTerms)
		.values([
			{ agreementId: effective.id, seq: 1, what: '赔偿修墙费用', amountFen: 120_000, dueOn: '2024-03-25' },
			{ agreementId: effective.id, seq: 2, what: '拆除违建围墙', dueOn: '2024-03-28' },
			{ agreementId: effective.id, seq: 3, what: '补种树苗', dueOn: '2024-04-05' }
		])
		.returning({ id: agreementTerms.id });
	const followUp = (termId: number, done: boolean, at: string) => ({ termId, done, doneOn: done ? at.slice(0, 10) : null, recordedById: mediator, recordedAt: new Date(`${at}+08:00`) });
	await w.t.db.insert(termPerformance).values([followUp(terms[0].id, false, '2024-03-24T10:00:00'), followUp(terms[0].id, true, '2024-03-25T10:00:00'), followUp(terms[1].id, false, '2024-03-29T10:00:00')]);
	const [party] = await w.t.db.insert(caseParties).values({ caseId: first, side: 'applicant', name: '孙大伯' }).returning({ id: caseParties.id });
	const visit = (visitedOn: string, satisfaction: number) => ({ caseId: first, partyId: party.id, visitedOn, method: 'phone' as const, satisfaction, recordedById: mediator, recordedAt: new Date() });
	await w.t.db.insert(returnVisits).values([visit('2024-03-22', 5), visit('2024-03-30', 3), visit('2024-04-02', 1)]);
}, 240_000);
afterAll(() => w.t.destroy());

describe('the dashboard figures', () => {
	it('counts intake and compares it with the same period last year and the previous period', async () => {
		const d = await loadDashboard(w.t.db, w.viewers['county.supervisor'], MARCH);
		expect(d.area.name).toBe('永修县');
		expect(d.intake).toEqual({ total: 4, firstTime: 3, repeat: 1, escalated: 1 });
		expect(d.lastYear.period).toEqual({ from: '2023-03-01', to: '2023-03-31' });
		expect(d.lastYear.intake).toEqual({ total: 2, firstTime: 1, repeat: 1, escalated: 0 });
		expect(d.lastYear.change).toEqual({ total: 100, firstTime: 200, repeat: 0, escalated: null });
		expect(d.previous.period).toEqual({ from: '2024-02-01', to: '2024-02-29' });
		expect(d.previous.intake).toEqual({ total: 1, firstTime: 1, repeat: 0, escalated: 1 });
		expect(d.previous.change).toEqual({ total: 300, firstTime: 200, repeat: null, escalated: 0 });
	});

	it('breaks the period down by channel, category, status and township', async () => {
		const d = await loadDashboard(w.t.db, w.viewers['county.supervisor'], MARCH);
		expect(Object.fromEntries(d.byChannel.map((r) => [r.key, r.count]))).toEqual({ walk_in: 1, agent: 1, phone: 1, online: 1 });
		expect(Object.fromEntries(d.byCategory.map((r) => [r.zh, r.count]))).toEqual({ 邻里纠纷: 2, 债务纠纷: 1, 土地山林权属: 1 });
		expect(Object.fromEntries(d.byStatus.map((r) => [r.key, r.count]))).toEqual({ concluded: 2, not_accepted: 1, in_mediation: 1 });
		expect(d.byPlace.map((r) => [r.name, r.count])).toEqual([
			['涂埠镇', 3],
			['虬津镇', 1]
		]);
	});

	it('computes resolution, on-time rate, days to conclude, ratings and the agents’ work', async () => {
		const d = await loadDashboard(w.t.db, w.viewers['county.supervisor'], MARCH);
		// Registered in March and accepted: three; of those concluded (at any time since): two.
		expect(d.resolution).toEqual({ accepted: 3, concluded: 2, rate: 66.7 });
		// Concluded in March: 1 March → 20 March (19 days, on time) and 10 January → 15 March (65 days, due 11 March).
		expect(d.conclusion).toEqual({ concluded: 2, onTime: 1, onTimeRate: 50, averageDays: 42, medianDays: 42 });
		expect(d.ratings).toEqual({ count: 2, average: 4.5 });
		expect(d.agents).toEqual([{ id: w.viewers.agent.id, name: w.viewers.agent.name, place: '城南村', count: 1 }]);
	});

	it('counts outcomes recorded in the period by kind, 三个一批 class and petition decision, and agreements in effect', async () => {
		const d = await loadDashboard(w.t.db, w.viewers['county.supervisor'], MARCH);
		expect(d.outcomes.total).toBe(2);
		expect(Object.fromEntries(d.outcomes.byKind.map((r) => [r.key, r.count]))).toEqual({ written_agreement: 1, oral_agreement: 1 });
		expect(Object.fromEntries(d.outcomes.byClass.map((r) => [r.key, r.count]))).toEqual({ claim_resolved: 1, hardship_aided: 1 });
		expect(Object.fromEntries(d.outcomes.byDecision.map((r) => [r.key, r.count]))).toEqual({ supported: 1, explained: 1 });
		expect(d.agreementsEffective).toBe(1);
		expect(d.performance).toEqual({ due: 2, done: 1, rate: 50 });
		expect(d.returnVisits).toEqual({ count: 2, average: 4 });
		const april = await loadDashboard(w.t.db, w.viewers['county.supervisor'], { period: { from: '2024-04-01', to: '2024-04-30' }, placeId: null });
		expect(april.outcomes.total).toBe(1);
		expect(april.agreementsEffective).toBe(0);
	});

	it('draws the twelve-month trend with the same months a year earlier', async () => {
		const d = await loadDashboard(w.t.db, w.viewers['county.supervisor'], MARCH);
		expect(d.trend.map((r) => r.month)).toEqual(['2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03']);
		expect(d.trend.at(-1)).toEqual({ month: '2024-03', count: 4, lastYear: 2 });
		expect(d.trend.at(-2)).toEqual({ month: '2024-02', count: 1, lastYear: 0 });
		expect(d.trend.at(-3)).toEqual({ month: '2024-01', count: 1, lastYear: 0 });
	});

	it('counts a period that starts and ends mid-month from the matters themselves', async () => {
		// 5 March – 10 April: the matters of 5, 10 and 31 March and of 1 April.
		const d = await loadDashboard(w.t.db, w.viewers['county.supervisor'], { period: { from: '2024-03-05', to: '2024-04-10' }, placeId: null });
		expect(d.intake).toEqual({ total: 4, firstTime: 3, repeat: 1, escalated: 1 });
		// Concluded 20 March, 15 March and 10 April (the agent's matter, 3 March → 10 April: 36 days).
		expect(d.conclusion).toMatchObject({ concluded: 3, onTime: 2, medianDays: 36 });
		// 2 March – 31 March: a partial month, the same as the whole of March but for the matter of 1 March.
		const march = await loadDashboard(w.t.db, w.viewers['county.supervisor'], { period: { from: '2024-03-02', to: '2024-03-31' }, placeId: null });
		expect(march.intake.total).toBe(3);
	});

	it('keeps the counts in step with every change to a matter, as a rebuild from the matters finds them', async () => {
		const snapshot = async () =>
			(await w.t.db.select().from(caseStatCounts))
				.filter((r) => r.n !== 0)
				.map((r) => `${r.countyId}|${r.level}|${r.month}|${r.townshipId}|${r.villageId}|${r.dim}|${r.key}|${r.n}`)
				.sort();
		const before = await loadDashboard(w.t.db, w.viewers['county.supervisor'], MARCH);
		const someone = { id: inMediation };
		await w.t.db.update(cases).set({ status: 'concluded' }).where(eq(cases.id, someone.id));
		const after = await loadDashboard(w.t.db, w.viewers['county.supervisor'], MARCH);
		const status = (d: typeof before) => Object.fromEntries(d.byStatus.map((r) => [r.key, r.count]));
		expect(status(after).concluded).toBe((status(before).concluded ?? 0) + 1);
		expect(status(after).in_mediation ?? 0).toBe((status(before).in_mediation ?? 0) - 1);
		await w.t.db.update(cases).set({ status: 'in_mediation' }).where(eq(cases.id, someone.id));
		const kept = await snapshot();
		await w.t.db.execute(sql`select case_stats_rebuild()`);
		expect(await snapshot()).toEqual(kept);
	});

	it('limits a township supervisor to the township and splits it by village', async () => {
		const d = await loadDashboard(w.t.db, w.viewers['tubu.supervisor'], MARCH);
		expect(d.area.name).toBe('涂埠镇');
		expect(d.intake).toEqual({ total: 3, firstTime: 2, repeat: 1, escalated: 1 });
		expect(d.byPlace.map((r) => [r.name, r.count])).toEqual([
			['城南村', 2],
			['河东村', 1]
		]);
		expect(d.agents.map((a) => a.count)).toEqual([1]);
		// A village of another township is outside the area: not found, not an empty dashboard.
		expect(await outcome(loadDashboard(w.t.db, w.viewers['tubu.supervisor'], { ...MARCH, placeId: w.placeIds['虬津村'] }))).toBe('not_found');
		// The county narrows to one village.
		const village = await loadDashboard(w.t.db, w.viewers['county.supervisor'], { ...MARCH, placeId: w.placeIds['城南村'] });
		expect(village.intake.total).toBe(2);
		expect(village.byPlace).toEqual([]);
	});

	it('refuses village users and people without a supervising role', async () => {
		for (const name of ['agent', 'villager', 'party', 'mediator', 'panelist']) {
			expect(await outcome(loadDashboard(w.t.db, w.viewers[name], MARCH)), name).toBe('forbidden');
		}
	});
});

function event(user: Viewer | null, path: string): RequestEvent {
	return routeEvent(path, { user });
}

async function statusOf(run: () => unknown): Promise<number> {
	try {
		const result = await run();
		return result instanceof Response ? result.status : 200;
	} catch (err) {
		if (isHttpError(err)) return err.status;
		throw err;
	}
}

describe('the statistics pages', () => {
	it('answer 403 to a village user and 404 for a place outside the area', async () => {
		const load = statsPage.load as unknown as (e: RequestEvent) => Promise<unknown>;
		const csv = exportRoute.GET as unknown as (e: RequestEvent) => Promise<Response>;
		expect(await statusOf(() => load(event(w.viewers.agent, '/stats')))).toBe(403);
		expect(await statusOf(() => load(event(w.viewers.villager, '/stats')))).toBe(403);
		expect(await statusOf(() => csv(event(w.viewers.villager, '/stats/export.csv?table=category')))).toBe(403);
		expect(await statusOf(() => load(event(w.viewers['tubu.supervisor'], `/stats?place=${w.placeIds['虬津村']}`)))).toBe(404);
		expect(await statusOf(() => load(event(w.viewers['tubu.supervisor'], '/stats?from=2024-03-01&to=2024-03-31')))).toBe(200);
	});

	it('exports a dashboard table as CSV for Excel, and audits the export', async () => {
		const csv = exportRoute.GET as unknown as (e: RequestEvent) => Promise<Response>;
		const before = await w.t.db.$count(auditLog);
		const response = await csv(event(w.viewers['county.supervisor'], '/stats/export.csv?table=place&from=2024-03-01&to=2024-03-31'));
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const bytes = new Uint8Array(await response.arrayBuffer());
		// The byte-order mark Excel needs (Response#text would strip it).
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const body = new TextDecoder().decode(bytes);
		expect(body).toContain('涂埠镇,3,75%');
		expect(await w.t.db.$count(auditLog)).toBe(before + 1);
		expect(await statusOf(() => csv(event(w.viewers['county.supervisor'], '/stats/export.csv?table=nonsense')))).toBe(400);
	});

	it('prints the monthly report as a PDF in Chinese with the month’s figures, for the viewer’s area only', async () => {
		const pdf = reportPdf.GET as unknown as (e: RequestEvent) => Promise<Response>;
		const head = await readChainHead(w.t.db);
		const response = await pdf(event(w.viewers['county.supervisor'], '/stats/report.pdf?month=2024-03'));
		expect(response.headers.get('content-type')).toBe('application/pdf');
		const bytes = new Uint8Array(await response.arrayBuffer());
		const { flat } = await pdfText(bytes);
		expect(flat).toContain('永修县2024年3月矛盾纠纷和信访工作分析报告');
		expect(flat).toContain('本月共受理矛盾纠纷和信访事项4件，同比上升100%');
		expect(flat).toContain('首次信访3件，同比上升200%');
		expect(flat).toContain('邻里纠纷');
		expect(flat).toContain('涂埠镇');
		// The audit chain's head before this export's own audit row, for `audit:verify --head`.
		expect(flat).toContain(`审计链第${head.count}条${head.hash}`);
		// A township supervisor's report is the township's.
		const township = await pdfText(new Uint8Array(await (await pdf(event(w.viewers['tubu.supervisor'], '/stats/report.pdf?month=2024-03'))).arrayBuffer()));
		expect(township.flat).toContain('涂埠镇2024年3月');
		expect(township.flat).toContain('本月共受理矛盾纠纷和信访事项3件');
		expect(await statusOf(() => pdf(event(w.viewers.villager, '/stats/report.pdf?month=2024-03')))).toBe(403);
		expect(await statusOf(() => pdf(event(w.viewers['county.supervisor'], '/stats/report.pdf?month=2099-01')))).toBe(400);
	});
});
