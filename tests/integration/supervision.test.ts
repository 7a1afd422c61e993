import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { auditLog, caseEvents, cases, places, supervisionOrders, userRoles, users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { createPlace } from '../../src/lib/server/places/create-place';
import { answerOrder } from '../../src/lib/server/supervision/answer-order';
import { closeOrder } from '../../src/lib/server/supervision/close-order';
import { getOrder } from '../../src/lib/server/supervision/get-order';
import { getOrderForm } from '../../src/lib/server/supervision/get-order-form';
import { issueOrder } from '../../src/lib/server/supervision/issue-order';
import { listMyOrders } from '../../src/lib/server/supervision/list-my-orders';
import { listOrders } from '../../src/lib/server/supervision/list-orders';
import { listRepeatGroups } from '../../src/lib/server/supervision/list-repeat-groups';
import { countSupervisedCases, listSupervisedCases, type DeadlineList } from '../../src/lib/server/supervision/list-supervised-cases';
import { parseListQuery } from '../../src/lib/server/supervision/rules';
import type { RoleName, Viewer } from '../../src/lib/types';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { refusalOf } from '../support/app-error';

let t: TestDatabase;
const v: Record<string, Viewer> = {};
const placeIds: Record<string, number> = {};
const ids: Record<string, number> = {};
const numbers: Record<string, string> = {};

/** 10:00 on 10 March 2026 in Shanghai. */
const NOW = new Date('2026-03-10T02:00:00Z');
const DAY = 86_400_000;
const daysBefore = (n: number, from = NOW) => new Date(from.getTime() - n * DAY);

/** A staff account straight into the tables (the people module's own rules are tested elsewhere). */
async function addUser(username: string, place: string, roles: RoleName[], disabled = false) {
	const [u] = await t.db
		.insert(users)
		.values({ username, name: username, passwordHash: 'x', placeId: placeIds[place], disabledAt: disabled ? NOW : null })
		.returning({ id: users.id });
	await t.db.insert(userRoles).values(roles.map((role) => ({ userId: u.id, role })));
	v[username] = (await loadViewer(t.db, u.id)) ?? ({ id: u.id } as Viewer);
}

/** Files a matter and then sets the clock and activity fields the way the case loop would have left them. */
async function addCase(key: string, place: string, state: { due?: string | null; idleSince?: Date; status?: 'registered' | 'archived' | 'assigned'; repeatOf?: string; by?: string | null } = {}) {
	const actor = state.by === null ? null : v[state.by ?? 'baicha.mediator'];
	const filed = await fileCase(
		t.db,
		actor,
		{
			channel: 'walk_in',
			categoryId: 3,
			placeId: placeIds[place],
			title: `事项 ${key}`,
			description: '邻里纠纷',
			parties: [{ side: 'applicant', name: '申请人' }],
			repeatOfNumber: state.repeatOf ? numbers[state.repeatOf] : undefined
		}, { now: new Date(daysBefore(30).getTime() + Object.keys(ids).length * 60_000) }
	);
	ids[key] = filed.id;
	numbers[key] = filed.number;
	await t.db
		.update(cases)
		.set({ nextDueOn: state.due ?? null, lastActivityAt: state.idleSince ?? daysBefore(1), status: state.status ?? 'registered' })
		.where(eq(cases.id, filed.id));
}

async function counts() {
	const [[o], [e], [a], [c]] = await Promise.all([
		t.db.select({ n: count() }).from(supervisionOrders),
		t.db.select({ n: count() }).from(caseEvents),
		t.db.select({ n: count() }).from(auditLog),
		t.db.select({ at: cases.lastActivityAt }).from(cases).where(eq(cases.id, ids.A))
	]);
	return { orders: o.n, events: e.n, audit: a.n, activityA: c.at.getTime() };
}

/** The fixture's matters in a list, by key, in list order (the county also sees the demo county's own). */
const listed = async (viewer: Viewer, list: DeadlineList, now = NOW, stalledDays = 10) =>
	(await listSupervisedCases(t.db, viewer, { list, page: 1, stalledDays }, { now })).rows
		.map((r) => Object.keys(ids).find((k) => ids[k] === r.id))
		.filter((k) => k !== undefined);

beforeAll(async () => {
	t = await createTestDatabase('demo');
	for (const p of await t.db.select({ id: places.id, name: places.name }).from(places)) placeIds[p.name] = p.id;
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) v[u.username!] = (await loadViewer(t.db, u.id))!;
	// Two townships of our own, so the demo county's matters never enter the township lists.
	for (const [township, villages] of [['白槎镇', ['白槎村', '港口村']], ['柘林镇', ['柘林村']]] as const) {
		placeIds[township] = (await createPlace(t.db, null, { name: township, parentId: placeIds['永修县'] })).id;
		for (const village of villages) placeIds[village] = (await createPlace(t.db, null, { name: village, parentId: placeIds[township] })).id;
	}
	await addUser('baicha.supervisor', '白槎镇', ['supervisor']);
	await addUser('baicha.mediator', '白槎镇', ['mediator']);
	await addUser('baicun.mediator', '白槎村', ['mediator']);
	await addUser('gangkou.mediator', '港口村', ['mediator']);
	await addUser('baicha.advisor', '白槎镇', ['legal_advisor']);
	await addUser('baicun.villager', '白槎村', ['legal_villager']);
	await addUser('retired.mediator', '白槎镇', ['mediator'], true);
	await addUser('zhelin.mediator', '柘林镇', ['mediator']);
	await addUser('zhelin.supervisor', '柘林镇', ['supervisor']);

	// Deadlines as of NOW (today = 2026-03-10 in Shanghai).
	await addCase('A', '白槎村', { due: '2026-03-09' }); // overdue by a day
	await addCase('B', '白槎村', { due: '2026-03-10' }); // due today: due soon, not overdue
	await addCase('C', '港口村', { due: '2026-03-13' }); // due in 3 days: still due soon
	await addCase('D', '白槎村', { due: '2026-03-14' }); // 4 days: neither
	await addCase('E', '白槎村', { idleSince: new Date('2026-02-27T00:00:00Z') }); // idle 11+ days: stalled
	await addCase('F', '白槎村', { idleSince: new Date('2026-02-28T03:00:00Z') }); // idle 9.96 days: not at 10, yes at 9
	await addCase('G', '白槎村', { idleSince: daysBefore(40), status: 'archived' }); // archived: never stalled
	await addCase('Q', '柘林村', { due: '2026-03-01', idleSince: daysBefore(20), by: 'supervisor' }); // another township
	// Repeats: a chain R1 ← R2 ← R3, an unlinked online repeat, and a cross-township link only the county sees whole.
	await addCase('R1', '白槎村');
	await addCase('R2', '白槎村', { repeatOf: 'R1' });
	await addCase('R3', '港口村', { repeatOf: 'R2' });
	await addCase('U', '白槎村', { repeatOf: 'R1', by: null });
	await addCase('X', '柘林村', { by: 'supervisor' });
	await addCase('Y', '白槎村', { repeatOf: 'X', by: 'supervisor' });
	// Generous: a fixture of fourteen filings on a busy shared machine.
}, 180_000);
afterAll(() => t.destroy());

describe('supervisor lists', () => {
	it('lists overdue and due-soon matters by the Shanghai date, earliest due first', async () => {
		expect(await listed(v['baicha.supervisor'], 'overdue')).toEqual(['A']);
		expect(await listed(v['baicha.supervisor'], 'due_soon')).toEqual(['B', 'C']);
		expect(await listed(v.supervisor, 'overdue')).toEqual(['Q', 'A']);
		// 00:30 on 10 March in Shanghai is still 9 March in UTC: A is overdue already.
		expect(await listed(v['baicha.supervisor'], 'overdue', new Date('2026-03-09T16:30:00Z'))).toEqual(['A']);
		expect(await listed(v['baicha.supervisor'], 'overdue', new Date('2026-03-09T15:59:00Z'))).toEqual([]);
		// Two days on, B and C have passed and D comes into the window.
		expect(await listed(v['baicha.supervisor'], 'due_soon', new Date(NOW.getTime() + 2 * DAY))).toEqual(['C', 'D']);
		const [row] = (await listSupervisedCases(t.db, v['baicha.supervisor'], { list: 'overdue', page: 1, stalledDays: 10 }, { now: NOW })).rows;
		expect(row).toMatchObject({ number: numbers.A, placeName: '白槎村', dueState: 'overdue', nextDueOn: '2026-03-09', openOrders: 0 });
	});

	it('lists stalled open matters for an adjustable number of idle days', async () => {
		expect(await listed(v['baicha.supervisor'], 'stalled')).toEqual(['E']);
		expect(await listed(v['baicha.supervisor'], 'stalled', NOW, 9)).toEqual(['E', 'F']);
		expect(await listed(v.supervisor, 'stalled')).toEqual(['Q', 'E']);
		const [row] = (await listSupervisedCases(t.db, v['baicha.supervisor'], { list: 'stalled', page: 1, stalledDays: 10 }, { now: NOW })).rows;
		expect(row.idleDays).toBe(11);
	});

	it('groups repeated matters under their original, within the viewer’s scope', async () => {
		const shape = async (viewer: Viewer) =>
			(await listRepeatGroups(t.db, viewer, { page: 1 }, { now: NOW })).groups.map((g) => [g.original.number, g.repeats.map((r) => r.number)]);
		const mine = new Set(Object.values(numbers));
		const county = (await shape(v.supervisor)).filter(([original]) => mine.has(original as string));
		// The online filing U is marked a repeat but could not link: a group of its own. The latest repeat leads.
		expect(county).toEqual([
			[numbers.X, [numbers.Y]],
			[numbers.U, []],
			[numbers.R1, [numbers.R2, numbers.R3]]
		]);
		// 白槎镇 does not see X (柘林村), so Y heads its own group and X is never named.
		const township = await shape(v['baicha.supervisor']);
		expect(township).toEqual([
			[numbers.Y, []],
			[numbers.U, []],
			[numbers.R1, [numbers.R2, numbers.R3]]
		]);
		expect(township.flat(2)).not.toContain(numbers.X);
	});

	it('counts each list for the tabs and pages through them', async () => {
		expect(await countSupervisedCases(t.db, v['baicha.supervisor'], 10, { now: NOW })).toEqual({ overdue: 1, due_soon: 2, stalled: 1, repeat: 3 });
		// The county holds the demo county's matters too: at least the fixture's, and at least as many as 白槎镇.
		const county = await countSupervisedCases(t.db, v.supervisor, 10, { now: NOW });
		expect(county.overdue).toBeGreaterThanOrEqual(2);
		expect(county.stalled).toBeGreaterThanOrEqual(2);
		expect(county.repeat).toBeGreaterThanOrEqual(3);
		const page2 = await listSupervisedCases(t.db, v['baicha.supervisor'], { list: 'due_soon', page: 2, stalledDays: 10 }, { now: NOW });
		expect(page2).toMatchObject({ rows: [], total: 2, page: 2 });
	});

	it('reads the view from the query string and falls back on anything odd', () => {
		const q = (query: string) => parseListQuery(new URLSearchParams(query));
		expect(q('')).toEqual({ list: 'overdue', page: 1, stalledDays: 10 });
		expect(q('list=stalled&days=30&page=3')).toEqual({ list: 'stalled', page: 3, stalledDays: 30 });
		for (const odd of ['list=everything', 'days=0', 'days=366', 'days=1e3', 'page=-1', 'page=abc', 'days=%20'])
			expect(q(odd)).toEqual({ list: 'overdue', page: 1, stalledDays: 10 });
	});

	it('keeps other roles out and a township supervisor inside the township', async () => {
		for (const who of ['baicun.villager', 'baicha.mediator', 'villager', 'admin', 'agent', 'party']) {
			expect(await refusalOf(listSupervisedCases(t.db, v[who], { list: 'overdue', page: 1, stalledDays: 10 }, { now: NOW }))).toBe('forbidden');
			expect(await refusalOf(listRepeatGroups(t.db, v[who], { page: 1 }, { now: NOW }))).toBe('forbidden');
			expect(await refusalOf(countSupervisedCases(t.db, v[who], 10, { now: NOW }))).toBe('forbidden');
		}
		expect(await listed(v['zhelin.supervisor'], 'overdue')).toEqual(['Q']);
		expect(await refusalOf(getOrderForm(t.db, v['baicha.supervisor'], ids.Q, { now: NOW }))).toBe('not_found');
	});
});

describe('supervision orders', () => {
	const valid = () => ({ caseId: ids.A, ownerId: v['baicha.mediator'].id, dueOn: '2026-03-15', note: '请在期限内办结并反馈。' });
	let orderId: number;

	it('offers the matter’s own mediators and supervisors as owners, nearest level first', async () => {
		const form = await getOrderForm(t.db, v['baicha.supervisor'], ids.A, { now: NOW });
		const names = form.candidates.map((c) => c.name);
		// Village, then township (in name order), then county; no one from elsewhere, disabled or advisory.
		expect(names[0]).toBe('baicun.mediator');
		expect(names.slice(1, 3).sort()).toEqual([v['baicha.mediator'].name, v['baicha.supervisor'].name].sort());
		expect(form.candidates.slice(3).every((c) => c.placeName === '永修县')).toBe(true);
		expect(names.slice(3)).toContain(v.supervisor.name);
		for (const out of ['zhelin.mediator', 'gangkou.mediator', 'retired.mediator', 'baicha.advisor', 'mediator', 'tubu.supervisor']) expect(names).not.toContain(v[out].name);
		expect(form).toMatchObject({ open: true, minDue: '2026-03-10', maxDue: '2026-05-09' });
	});

	it('refuses bad orders with field messages and writes nothing', async () => {
		const before = await counts();
		const bad: [object, Record<string, string>][] = [
			[{ ownerId: v['zhelin.mediator'].id }, { ownerId: 'err_sv_owner_invalid' }],
			[{ ownerId: v['gangkou.mediator'].id }, { ownerId: 'err_sv_owner_invalid' }],
			[{ ownerId: v['retired.mediator'].id }, { ownerId: 'err_sv_owner_invalid' }],
			[{ ownerId: v['baicha.advisor'].id }, { ownerId: 'err_sv_owner_invalid' }],
			[{ dueOn: '2026-03-09' }, { dueOn: 'err_sv_due_past' }],
			[{ dueOn: '2026-05-10' }, { dueOn: 'err_sv_due_too_far' }],
			[{ dueOn: '2026-02-30' }, { dueOn: 'err_date_invalid' }],
			[{ note: '   ' }, { note: 'err_required' }],
			[{ note: '督'.repeat(1001) }, { note: 'err_too_long' }],
			// Every field's problem at once, so the form shows them together.
			[{ dueOn: '2026-01-01', note: '' }, { dueOn: 'err_sv_due_past', note: 'err_required' }]
		];
		for (const [patch, fields] of bad) expect(await refusalOf(issueOrder(t.db, v['baicha.supervisor'], { ...valid(), ...patch }, { now: NOW }))).toEqual(fields);
		// A case outside the supervisor's township is "not found"; a mediator may not push at all.
		expect(await refusalOf(issueOrder(t.db, v['baicha.supervisor'], { ...valid(), caseId: ids.Q, ownerId: v['zhelin.mediator'].id }, { now: NOW }))).toBe('not_found');
		expect(await refusalOf(issueOrder(t.db, v['baicha.mediator'], valid(), { now: NOW }))).toBe('forbidden');
		expect(await refusalOf(issueOrder(t.db, v['baicha.supervisor'], { ...valid(), caseId: ids.G }, { now: NOW }))).toEqual({ _: 'err_sv_case_closed' });
		expect(await counts()).toEqual(before);
	});

	it('issues an order with a staff timeline entry and an audit row, and counts it as activity', async () => {
		({ id: orderId } = await issueOrder(t.db, v['baicha.supervisor'], valid(), { ip: '10.0.0.7', now: NOW }));
		const [order] = await t.db.select().from(supervisionOrders).where(eq(supervisionOrders.id, orderId));
		expect(order).toMatchObject({ caseId: ids.A, issuedById: v['baicha.supervisor'].id, ownerId: v['baicha.mediator'].id, dueOn: '2026-03-15', status: 'open' });
		const [event] = await t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, ids.A), eq(caseEvents.kind, 'supervision_issue')));
		expect(event).toMatchObject({ public: false, actorId: v['baicha.supervisor'].id, note: valid().note });
		const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'supervision.issue'));
		expect(audit).toMatchObject({ subjectType: 'case', subjectId: String(ids.A), ip: '10.0.0.7', data: { orderId, ownerId: v['baicha.mediator'].id, dueOn: '2026-03-15' } });
		const [c] = await t.db.select({ at: cases.lastActivityAt }).from(cases).where(eq(cases.id, ids.A));
		expect(c.at.getTime()).toBe(NOW.getTime());
		// The last day allowed is exactly 60 days ahead; pushing an idle case takes it off the stalled list.
		await issueOrder(t.db, v['baicha.supervisor'], { ...valid(), caseId: ids.E, dueOn: '2026-05-09', ownerId: v['baicun.mediator'].id }, { now: NOW });
		expect(await listed(v['baicha.supervisor'], 'stalled')).toEqual([]);
		expect((await listSupervisedCases(t.db, v['baicha.supervisor'], { list: 'overdue', page: 1, stalledDays: 10 }, { now: NOW })).rows[0].openOrders).toBe(1);
	});

	it('shows the order on the owner’s home page only, overdue once its limit has passed', async () => {
		const inbox = await listMyOrders(t.db, v['baicha.mediator'], 10, { now: NOW });
		expect(inbox.total).toBe(1);
		expect(inbox.orders[0]).toMatchObject({ id: orderId, caseNumber: numbers.A, issuerName: v['baicha.supervisor'].name, overdue: false });
		expect((await listMyOrders(t.db, v['baicha.mediator'], 10, { now: new Date('2026-03-15T15:00:00Z') })).orders[0].overdue).toBe(false);
		expect((await listMyOrders(t.db, v['baicha.mediator'], 10, { now: new Date('2026-03-15T16:00:00Z') })).orders[0].overdue).toBe(true);
		expect((await listMyOrders(t.db, v['baicha.supervisor'], 10, { now: NOW })).total).toBe(0);
		const later = new Date('2026-03-20T02:00:00Z');
		expect((await listOrders(t.db, v['baicha.supervisor'], { filter: 'overdue', page: 1 }, { now: later })).orders.map((o) => o.id)).toEqual([orderId]);
	});

	it('lets a supervisor read the orders in scope and anyone else only their own', async () => {
		const seen = async (who: string) => (await listOrders(t.db, v[who], { filter: 'all', page: 1 }, { now: NOW })).orders.map((o) => o.caseNumber).sort();
		expect(await seen('baicha.supervisor')).toEqual([numbers.A, numbers.E].sort());
		expect(await seen('supervisor')).toEqual(expect.arrayContaining([numbers.A, numbers.E]));
		expect(await seen('baicha.mediator')).toEqual([numbers.A]);
		expect(await seen('zhelin.supervisor')).toEqual([]);
		expect(await seen('tubu.supervisor')).toEqual([]);
		expect(await refusalOf(getOrder(t.db, v['zhelin.supervisor'], orderId, { now: NOW }))).toBe('not_found');
		expect(await refusalOf(getOrder(t.db, v['baicun.mediator'], orderId, { now: NOW }))).toBe('not_found');
		expect(await getOrder(t.db, v['baicha.mediator'], orderId, { now: NOW })).toMatchObject({ canAnswer: true, canClose: false, note: valid().note });
		expect(await getOrder(t.db, v['baicha.supervisor'], orderId, { now: NOW })).toMatchObject({ canAnswer: false, canClose: false });
	});

	it('lets only the owner answer, once, and the answer takes it off the inbox', async () => {
		const before = await counts();
		for (const who of ['baicha.supervisor', 'supervisor', 'baicun.mediator', 'zhelin.mediator', 'mediator', 'baicun.villager']) {
			expect(await refusalOf(answerOrder(t.db, v[who], { orderId, answer: '已办理' }, { now: NOW }))).toBe('not_found');
		}
		expect(await refusalOf(answerOrder(t.db, v['baicha.mediator'], { orderId, answer: ' ' }, { now: NOW }))).toEqual({ answer: 'err_required' });
		// Closing before an answer is refused.
		expect(await refusalOf(closeOrder(t.db, v['baicha.supervisor'], { orderId }, { now: NOW }))).toEqual({ _: 'err_sv_not_answered' });
		expect(await counts()).toEqual(before);

		await answerOrder(t.db, v['baicha.mediator'], { orderId, answer: '已约双方 3 月 12 日调解。' }, { now: NOW });
		expect(await t.db.select({ status: supervisionOrders.status, answer: supervisionOrders.answer }).from(supervisionOrders).where(eq(supervisionOrders.id, orderId))).toEqual([
			{ status: 'answered', answer: '已约双方 3 月 12 日调解。' }
		]);
		expect((await listMyOrders(t.db, v['baicha.mediator'], 10, { now: NOW })).total).toBe(0);
		expect(await refusalOf(answerOrder(t.db, v['baicha.mediator'], { orderId, answer: '再答一次' }, { now: NOW }))).toEqual({ _: 'err_sv_not_open' });
	});

	it('is closed by a supervisor in scope and by no one else', async () => {
		const before = await counts();
		expect(await refusalOf(closeOrder(t.db, v['baicha.mediator'], { orderId }, { now: NOW }))).toBe('forbidden');
		expect(await refusalOf(closeOrder(t.db, v['zhelin.supervisor'], { orderId }, { now: NOW }))).toBe('not_found');
		expect(await counts()).toEqual(before);
		// Another supervisor who covers the case (the county) may close what the township issued.
		await closeOrder(t.db, v.supervisor, { orderId, note: '反馈属实，予以办结。' }, { now: NOW });
		expect(await getOrder(t.db, v['baicha.supervisor'], orderId, { now: NOW })).toMatchObject({ status: 'closed', canClose: false });
		expect(await refusalOf(closeOrder(t.db, v['baicha.supervisor'], { orderId }, { now: NOW }))).toEqual({ _: 'err_sv_already_closed' });

		const timeline = await t.db
			.select({ kind: caseEvents.kind, public: caseEvents.public })
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, ids.A), inArray(caseEvents.kind, ['supervision_issue', 'supervision_answer', 'supervision_close'])))
			.orderBy(asc(caseEvents.id));
		expect(timeline).toEqual(['supervision_issue', 'supervision_answer', 'supervision_close'].map((kind) => ({ kind, public: false })));
		const actions = await t.db.select({ action: auditLog.action, actorId: auditLog.actorId }).from(auditLog).where(eq(auditLog.subjectId, String(ids.A))).orderBy(asc(auditLog.id));
		expect(actions.slice(-3)).toEqual([
			{ action: 'supervision.issue', actorId: v['baicha.supervisor'].id },
			{ action: 'supervision.answer', actorId: v['baicha.mediator'].id },
			{ action: 'supervision.close', actorId: v.supervisor.id }
		]);
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
	});
});
