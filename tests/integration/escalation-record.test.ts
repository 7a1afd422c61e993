import { and, count, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCircular } from '../../src/lib/server/assessment/load-circular';
import { parsePeriod } from '../../src/lib/server/assessment/rules';
import { shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { getCase } from '../../src/lib/server/cases/work/get-case';
import { recordEscalation } from '../../src/lib/server/cases/work/record-escalation';
import { auditLog, caseEvents, cases, places } from '../../src/lib/server/db/schema';
import { vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { actions } from '../../src/routes/(app)/cases/[id=id]/+page.server';
import { outcome, SEED_TIMEOUT, seedAdminWorld, viewer } from '../support/admin-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

/** Issue 13 part 4: recording that a matter went above the county (赴省/进京), which the circular counts. */
let t: TestDatabase;
let caseId: number;
let qiujinCaseId: number;
let registeredOn: string;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedAdminWorld(t.db);
	database.db = t.db;
	const [tubu] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '涂埠镇'));
	const [qiujin] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '虬津镇'));
	const [row] = await t.db
		.select({ id: cases.id, registeredAt: cases.registeredAt })
		.from(cases)
		.where(and(eq(cases.townshipId, tubu.id), eq(cases.escalatedBeyondCounty, false)))
		.orderBy(desc(cases.registeredAt))
		.limit(1);
	caseId = row.id;
	registeredOn = shanghaiDate(row.registeredAt);
	// A matter of another township (a copy of a demo matter moved to 虬津镇 when the demo has none there).
	const [template] = await t.db.select().from(cases).where(eq(cases.townshipId, tubu.id)).limit(1);
	const { id: _id, number: _n, ...rest } = template;
	const [qiujinPlace] = await t.db.select({ path: places.path }).from(places).where(eq(places.id, qiujin.id));
	const [other] = await t.db
		.insert(cases)
		.values({ ...rest, number: '2026-990001', townshipId: qiujin.id, villageId: null, placeId: qiujin.id, placePath: qiujinPlace.path, departmentId: null, mediatorId: null, studioId: null })
		.returning({ id: cases.id });
	qiujinCaseId = other.id;
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

const audits = async () => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'case.escalation_record')))[0].n;
const stored = async () => (await t.db.select({ to: cases.escalatedTo, beyond: cases.escalatedBeyondCounty }).from(cases).where(eq(cases.id, caseId)))[0];
const today = shanghaiDate(new Date());

describe('recording an escalation above the county', () => {
	it('lets a township supervisor record 进京 with its day and note: the case, its timeline, the audit row and the circular', async () => {
		const supervisor = await viewer(t.db, 'tubu.supervisor');
		const county = await viewer(t.db, 'county.supervisor');
		const period = parsePeriod(registeredOn.slice(0, 4))!;
		const before = (await loadCircular(t.db, county, period)).county.beijing;

		expect((await getCase(t.db, supervisor, caseId)).mayRecordEscalation).toBe(true);
		await recordEscalation(t.db, supervisor, caseId, { level: 'beijing', on: today, note: '当事人𠮷某赴京上访，已派员接回' });
		expect(await stored()).toEqual({ to: 'beijing', beyond: true });
		const [entry] = await t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, 'escalation_record')));
		expect(entry).toMatchObject({ note: '当事人𠮷某赴京上访，已派员接回', public: false, data: { level: 'beijing', previous: null, on: today } });
		expect(await audits()).toBe(1);
		const detail = await getCase(t.db, supervisor, caseId);
		expect(detail.escalatedTo).toBe('beijing');
		expect(detail.timeline.find((e) => e.kind === 'escalation_record')?.details).toEqual({ escalation: { level: 'beijing', on: today } });

		// The circular counts it at once, from the maintained counts.
		expect((await loadCircular(t.db, county, period)).county.beijing).toBe(before + 1);
		// Corrected to 赴省: 进京 goes back down, 赴省 up.
		const province = (await loadCircular(t.db, county, period)).county.province;
		await recordEscalation(t.db, county, caseId, { level: 'province', on: today, note: '核实后为赴省' });
		const after = (await loadCircular(t.db, county, period)).county;
		expect([after.beijing, after.province]).toEqual([before, province + 1]);
		await recordEscalation(t.db, county, caseId, { level: 'none', on: today, note: '误报，更正' });
		expect(await stored()).toEqual({ to: null, beyond: false });
		expect(await audits()).toBe(3);
	});

	it('refuses bad input with a message per field and writes nothing', async () => {
		const supervisor = await viewer(t.db, 'tubu.supervisor');
		const bad = async (raw: Record<string, unknown>) => outcome(recordEscalation(t.db, supervisor, caseId, raw));
		expect(await bad({ level: 'moon', on: today, note: 'x' })).toMatchObject({ code: 'invalid', fields: { level: 'cy_err_level' } });
		expect(await bad({ level: 'beijing', on: '2999-01-01', note: 'x' })).toMatchObject({ code: 'invalid', fields: { on: 'cy_err_date_future' } });
		expect(await bad({ level: 'beijing', on: '2001-01-01', note: 'x' })).toMatchObject({ code: 'invalid', fields: { on: 'cy_err_date_before_case' } });
		expect(await bad({ level: 'beijing', on: '2026-02-30', note: 'x' })).toMatchObject({ code: 'invalid', fields: { on: 'err_date_invalid' } });
		expect(await bad({ level: 'beijing', on: today, note: '  ' })).toMatchObject({ code: 'invalid', fields: { note: 'err_required' } });
		expect(await bad({ level: 'beijing', on: today, note: '长'.repeat(501) })).toMatchObject({ code: 'invalid', fields: { note: 'err_too_long' } });
		expect(await bad({ level: 'none', on: today, note: '再次更正' })).toMatchObject({ code: 'conflict', fields: { level: 'cy_err_same_level' } });
		expect(await stored()).toEqual({ to: null, beyond: false });
		expect(await audits()).toBe(3);
	});

	it('refuses mediators, department staff, village staff and a supervisor of another township', async () => {
		const raw = { level: 'province', on: today, note: '赴省' };
		for (const name of ['mediator', 'supervisor', 'qiujin.admin', 'chengnan.admin', 'advisor']) {
			const v = await viewer(t.db, name);
			expect(['forbidden', 'not_found']).toContain((await outcome(recordEscalation(t.db, v, caseId, raw))).code);
			expect((await getCase(t.db, v, caseId).catch(() => null))?.mayRecordEscalation ?? false).toBe(false);
		}
		// 虬津镇's matter is out of 涂埠镇's sight altogether: not found, as if it did not exist.
		expect((await outcome(recordEscalation(t.db, await viewer(t.db, 'tubu.supervisor'), qiujinCaseId, raw))).code).toBe('not_found');
		expect(await stored()).toEqual({ to: null, beyond: false });
		expect(await audits()).toBe(3);
	});

	it('answers the case page form with a 4xx, the message and the values refilled; out of scope is a 404', async () => {
		const form = { level: 'beijing', on: '2999-01-01', note: '赴京' };
		const post = async (username: string, id: number, f: Record<string, string>) =>
			routeOutcome(async () =>
				actions.escalation(routeEvent(`/cases/${id}?/escalation`, { user: await viewer(t.db, username), form: f, params: { id: String(id) } }))
			);
		expect(await post('tubu.supervisor', caseId, form)).toMatchObject({ status: 400, action: 'escalation', fields: { on: 'cy_err_date_future' }, values: { note: '赴京' } });
		expect(await post('mediator', caseId, { ...form, on: today })).toMatchObject({ status: 403 });
		expect(await post('tubu.supervisor', qiujinCaseId, { ...form, on: today })).toBe(404);
		expect(await post('tubu.supervisor', caseId, { ...form, on: today })).toMatchObject({ action: 'escalation', escalated: true });
		expect(await stored()).toEqual({ to: 'beijing', beyond: true });
	});
});
