import type { RequestEvent } from '@sveltejs/kit';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listCases } from '../../src/lib/server/cases/list/list-cases';
import { addDays, shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { DEFAULT_FILTERS } from '../../src/lib/server/cases/list/rules';
import { loadVisibleCase } from '../../src/lib/server/cases/work/case-snapshot';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import type { Db } from '../../src/lib/server/db';
import { caseCategories, cases, caseStatCounts, places } from '../../src/lib/server/db/schema';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { createUser } from '../../src/lib/server/people/create-user';
import { createPlace } from '../../src/lib/server/places/create-place';
import { renamePlace } from '../../src/lib/server/places/rename-place';
import { DEMO_PASSWORD } from '../../src/lib/server/seed/demo-password';
import { seedDemoCity } from '../../src/lib/server/seed/city';
import { checkStatCounts } from '../../src/lib/server/stats/check-counts';
import { loadDashboard } from '../../src/lib/server/stats/dashboard';
import { findClusters } from '../../src/lib/server/stats/find-clusters';
import { loadMonthlyReport } from '../../src/lib/server/stats/monthly-report';
import { monthPeriod } from '../../src/lib/server/stats/rules';
import type { Viewer } from '../../src/lib/types';
import * as exportRoute from '../../src/routes/(app)/stats/export.csv/+server';
import { expectRefused, SEED_TIMEOUT, viewer } from '../support/admin-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/**
 * Issue 21 §1: the demo county under 九江市 beside a second small county (武宁县, three matters). A city
 * supervisor sees, supervises and counts every county below; a county supervisor and a county admin
 * still reach only their own county, and anything beyond it answers like something that does not exist.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
// getReadDb: the stats routes' lag-tolerant reads (http/read-your-writes.ts); one database here.
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db, getReadDb: async () => database.db as Db }));

let t: TestDatabase;
let city: Viewer;
let yongxiu: Viewer; // county.supervisor of the demo county 永修县
let wuning: Viewer; // wuning.supervisor of 武宁县
let ids: Awaited<ReturnType<typeof seedDemoCity>>;
let wuningCase: number;
const today = shanghaiDate(new Date());
// The demo's matters go back about two years: a dashboard covers at most three.
const from = addDays(today, -1000);
const WIDE = { period: { from, to: today }, placeId: null };

beforeAll(async () => {
	t = await createTestDatabase('demo');
	database.db = t.db;
	ids = await seedDemoCity(t.db);
	city = await viewer(t.db, 'city.supervisor');
	yongxiu = await viewer(t.db, 'county.supervisor');
	wuning = await viewer(t.db, 'wuning.supervisor');
	[{ id: wuningCase }] = await t.db.select({ id: cases.id }).from(cases).where(eq(cases.countyId, ids.smallCounty.countyId)).limit(1);
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

const countyOf = async (caseIds: number[]) =>
	new Set((await t.db.select({ countyId: cases.countyId }).from(cases).where(sql`${cases.id} in ${caseIds}`)).map((r) => r.countyId));

describe('a city above the county', () => {
	it('keeps the tree whole: the county moved under the city, its paths and its matters with it', async () => {
		const [county] = await t.db.select({ parentId: places.parentId, path: places.path }).from(places).where(eq(places.id, ids.demoCountyId));
		expect(county).toEqual({ parentId: ids.cityId, path: `/${ids.cityId}/${ids.demoCountyId}/` });
		const [stray] = await t.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(cases).where(sql`${cases.cityId} is distinct from ${ids.cityId} or ${cases.placePath} not like ${`/${ids.cityId}/%`}`);
		expect(stray.n).toBe(0);
		expect(yongxiu.place.path).toBe(`/${ids.cityId}/${ids.demoCountyId}/`);
	});

	it('lets the city supervisor see the matters of every county; each county supervisor only their own', async () => {
		const all = await listCases(t.db, city, DEFAULT_FILTERS);
		const own = await listCases(t.db, yongxiu, DEFAULT_FILTERS);
		const small = await listCases(t.db, wuning, DEFAULT_FILTERS);
		expect(all.total.count).toBe(own.total.count + small.total.count);
		expect(small.total.count).toBe(3);
		expect(await countyOf(all.rows.map((r) => r.id))).toEqual(new Set([ids.demoCountyId, ids.smallCounty.countyId]));
		expect(await countyOf(own.rows.map((r) => r.id))).toEqual(new Set([ids.demoCountyId]));
		expect(await countyOf(small.rows.map((r) => r.id))).toEqual(new Set([ids.smallCounty.countyId]));
		// A county supervisor cannot reach another county's matter by id, nor filter the list by its places.
		await expect(loadVisibleCase(t.db, yongxiu, wuningCase)).rejects.toMatchObject({ code: 'not_found' });
		await expect(listCases(t.db, yongxiu, { ...DEFAULT_FILTERS, placeId: ids.smallCounty.villageIds[0] })).rejects.toMatchObject({ code: 'invalid' });
		expect((await loadVisibleCase(t.db, city, wuningCase)).id).toBe(wuningCase);
		// The city supervisor narrows the list to one county, then to one of its villages.
		expect((await listCases(t.db, city, { ...DEFAULT_FILTERS, placeId: ids.smallCounty.countyId })).total.count).toBe(3);
		expect((await listCases(t.db, city, { ...DEFAULT_FILTERS, placeId: ids.smallCounty.villageIds[1] })).total.count).toBe(1);
	});

	it('escalates a county matter to the city, where the city supervises it and the county no longer acts', async () => {
		await transitionCase(t.db, wuning, wuningCase, { type: 'accept' });
		for (let step = 0; step < 3; step++) await transitionCase(t.db, wuning, wuningCase, { type: 'escalate', reason: '本级难以化解，提请上级协调。' });
		const [row] = await t.db.select({ placeId: cases.placeId, placePath: cases.placePath }).from(cases).where(eq(cases.id, wuningCase));
		expect(row).toEqual({ placeId: ids.cityId, placePath: `/${ids.cityId}/` });
		// Nothing above the city: 赴省/进京 are counted measures, not a step of the loop.
		await expect(transitionCase(t.db, city, wuningCase, { type: 'escalate', reason: '再上报' })).rejects.toMatchObject({ code: 'conflict' });
		// The county still sees the matter it raised, but moving it is the city's now.
		expect((await loadVisibleCase(t.db, wuning, wuningCase)).id).toBe(wuningCase);
		await expect(transitionCase(t.db, wuning, wuningCase, { type: 'return_down', placeId: ids.smallCounty.countyId, reason: '退回' })).rejects.toMatchObject({ code: 'forbidden' });
		await transitionCase(t.db, city, wuningCase, { type: 'return_down', placeId: ids.smallCounty.countyId, reason: '由县里继续办理。' });
		const [back] = await t.db.select({ placeId: cases.placeId }).from(cases).where(eq(cases.id, wuningCase));
		expect(back.placeId).toBe(ids.smallCounty.countyId);
	});

	it('refuses a county admin anything outside the county, and lets a city admin work across it', async () => {
		const admin = await viewer(t.db, 'admin'); // the demo county's admin
		await expectRefused(t.db, () => createPlace(t.db, admin, { name: '新村', parentId: ids.smallCounty.townshipId }), { code: 'not_found' });
		await expectRefused(t.db, () => createPlace(t.db, admin, { name: '新县', parentId: ids.cityId }), { code: 'not_found' });
		await expectRefused(t.db, () => createPlace(t.db, admin, { name: '新市', parentId: null }), { code: 'forbidden' });
		await expectRefused(t.db, () => renamePlace(t.db, admin, { id: String(ids.smallCounty.countyId), name: '改名县' }), { code: 'not_found' });
		await expectRefused(t.db, () => renamePlace(t.db, admin, { id: String(ids.cityId), name: '改名市' }), { code: 'not_found' });
		await expectRefused(t.db, () => createUser(t.db, admin, { name: '越界者', username: 'outside.one', phone: null, placeId: ids.smallCounty.villageIds[0], roles: ['mediator'], password: DEMO_PASSWORD }), { code: 'invalid', fields: { placeId: 'err_place_not_found' } });

		const { id } = await createUser(t.db, null, { name: '市司法局 管理员', username: 'city.admin', phone: null, placeId: ids.cityId, roles: ['admin'], password: DEMO_PASSWORD });
		const cityAdmin = (await viewer(t.db, 'city.admin'))!;
		expect(cityAdmin.id).toBe(id);
		const county = await createPlace(t.db, cityAdmin, { name: '修水县', parentId: ids.cityId });
		expect(county.kind).toBe('county');
		const township = await createPlace(t.db, cityAdmin, { name: '义宁镇', parentId: county.id });
		expect(township).toMatchObject({ kind: 'township', path: `/${ids.cityId}/${county.id}/${township.id}/` });
		await createUser(t.db, cityAdmin, { name: '义宁镇 调解员', username: 'yining.mediator', phone: null, placeId: township.id, roles: ['mediator'], password: DEMO_PASSWORD });
	});
});

describe('statistics at every level', () => {
	it('rolls the counties up into the city, split by county, and each county into its townships', async () => {
		const cityBoard = await loadDashboard(t.db, city, WIDE);
		const yongxiuBoard = await loadDashboard(t.db, yongxiu, WIDE);
		const wuningBoard = await loadDashboard(t.db, wuning, WIDE);
		expect(cityBoard.area).toMatchObject({ id: ids.cityId, kind: 'city' });
		expect(cityBoard.intake.total).toBe(yongxiuBoard.intake.total + wuningBoard.intake.total);
		expect(wuningBoard.intake.total).toBe(3);
		expect(cityBoard.byPlace.map((p) => [p.key, p.count]).sort()).toEqual(
			[[ids.demoCountyId, yongxiuBoard.intake.total], [ids.smallCounty.countyId, 3]].sort()
		);
		expect(cityBoard.byPlace.find((p) => p.key === ids.smallCounty.countyId)?.name).toBe('武宁县');
		for (const channel of cityBoard.byChannel) {
			const parts = [yongxiuBoard, wuningBoard].map((b) => b.byChannel.find((c) => c.key === channel.key)?.count ?? 0);
			expect(channel.count).toBe(parts[0] + parts[1]);
		}
		// A period that starts and ends inside a month: the city reads those days from its counts by day, the
		// counties count them from their matters; the two agree.
		const midMonths = { period: { from: addDays(today, -400), to: addDays(today, -20) }, placeId: null };
		const [cityMid, yongxiuMid, wuningMid] = await Promise.all([city, yongxiu, wuning].map((v) => loadDashboard(t.db, v, midMonths)));
		expect(cityMid.intake.total).toBeGreaterThan(0);
		expect(cityMid.intake).toEqual({
			total: yongxiuMid.intake.total + wuningMid.intake.total,
			firstTime: yongxiuMid.intake.firstTime + wuningMid.intake.firstTime,
			repeat: yongxiuMid.intake.repeat + wuningMid.intake.repeat,
			escalated: yongxiuMid.intake.escalated + wuningMid.intake.escalated
		});
		expect(cityMid.byStatus.reduce((n, s) => n + s.count, 0)).toBe(cityMid.intake.total);
		expect(cityMid.conclusion.concluded).toBe(yongxiuMid.conclusion.concluded + wuningMid.conclusion.concluded);
		// Drilling down: the city's view of a county is that county's own dashboard; then a township, a village.
		const drilled = await loadDashboard(t.db, city, { ...WIDE, placeId: ids.smallCounty.countyId });
		expect(drilled.byPlace).toEqual(wuningBoard.byPlace);
		expect(drilled.byPlace.map((p) => p.key)).toEqual([ids.smallCounty.townshipId]);
		const township = await loadDashboard(t.db, city, { ...WIDE, placeId: ids.smallCounty.townshipId });
		expect(township.byPlace.map((p) => [p.key, p.count]).sort()).toEqual([[ids.smallCounty.villageIds[0], 2], [ids.smallCounty.villageIds[1], 1]].sort());
		const village = await loadDashboard(t.db, city, { ...WIDE, placeId: ids.smallCounty.villageIds[0] });
		expect(village.intake.total).toBe(2);
	});

	it('keeps counts of its own for each area above the county, equal to a recount, and splits a province into its cities', async () => {
		// The city's rows (level 0) were written by the triggers: the demo county moved under it, the small
		// county's matters filed, one escalated and returned. A recount from the matters agrees with them.
		const levelZero = (area: number) =>
			t.db
				.select({ n: sql<number>`count(*)`.mapWith(Number) })
				.from(caseStatCounts)
				.where(and(eq(caseStatCounts.level, 0), eq(caseStatCounts.countyId, area)));
		expect((await levelZero(ids.cityId))[0].n).toBeGreaterThan(0);
		expect((await checkStatCounts(t.db)).total).toBe(0);

		// A province above a city above a county: one matter, moved into last month so that the month is read
		// whole from the kept counts (a partial month is counted from the matters themselves).
		const province = await createPlace(t.db, null, { name: '江西省', parentId: null, kind: 'province' });
		const shangrao = await createPlace(t.db, null, { name: '上饶市', parentId: province.id });
		const wuyuan = await createPlace(t.db, null, { name: '婺源县', parentId: shangrao.id });
		const town = await createPlace(t.db, null, { name: '紫阳镇', parentId: wuyuan.id });
		const hamlet = await createPlace(t.db, null, { name: '𡈼村', parentId: town.id });
		await createUser(t.db, null, { name: '省信访局 督查员', username: 'province.supervisor', phone: null, placeId: province.id, roles: ['supervisor'], password: DEMO_PASSWORD });
		const provincial = await viewer(t.db, 'province.supervisor');
		const [category] = await t.db.select({ id: caseCategories.id }).from(caseCategories).limit(1);
		const { id } = await fileCase(t.db, provincial, {
			channel: 'walk_in',
			categoryId: category.id,
			placeId: hamlet.id,
			title: '𡈼村山林权属纠纷',
			description: '两户对山林界址有争议，请求调处。',
			parties: [{ side: 'applicant', kind: 'person', name: '䶮老汉' }]
		});
		const lastMonth = monthPeriod(addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7))!;
		await t.db.update(cases).set({ registeredAt: new Date(`${lastMonth.from}T10:00:00+08:00`) }).where(eq(cases.id, id));
		const [filed] = await t.db.select({ provinceId: cases.provinceId, cityId: cases.cityId }).from(cases).where(eq(cases.id, id));
		expect(filed).toEqual({ provinceId: province.id, cityId: shangrao.id });
		const month = { period: lastMonth, placeId: null };
		const board = await loadDashboard(t.db, provincial, month);
		expect(board.area).toMatchObject({ id: province.id, kind: 'province' });
		expect(board.intake.total).toBe(1);
		expect(board.byPlace.map((p) => [p.key, p.name, p.count])).toEqual([[shangrao.id, '上饶市', 1]]);
		const down = await loadDashboard(t.db, provincial, { ...month, placeId: shangrao.id });
		expect(down.byPlace.map((p) => [p.key, p.name, p.count])).toEqual([[wuyuan.id, '婺源县', 1]]);
		expect((await levelZero(province.id))[0].n).toBeGreaterThan(0);
		// Part of the month, from the province's counts by day: the matter's day, then the days after it.
		const day = await loadDashboard(t.db, provincial, { period: { from: lastMonth.from, to: lastMonth.from }, placeId: null });
		expect(day.byPlace.map((p) => [p.key, p.count])).toEqual([[shangrao.id, 1]]);
		const after = await loadDashboard(t.db, provincial, { period: { from: addDays(lastMonth.from, 1), to: lastMonth.to }, placeId: null });
		expect(after.intake.total).toBe(0);
		expect((await checkStatCounts(t.db)).total).toBe(0);
		// Neither the province's figures nor the city's reach the other tree.
		await expect(loadDashboard(t.db, city, { ...month, placeId: province.id })).rejects.toMatchObject({ code: 'not_found' });
		expect((await loadDashboard(t.db, city, month)).byPlace.some((p) => p.key === shangrao.id)).toBe(false);
	});

	it('does not let a county supervisor read another county or the city', async () => {
		await expect(loadDashboard(t.db, yongxiu, { ...WIDE, placeId: ids.smallCounty.countyId })).rejects.toMatchObject({ code: 'not_found' });
		await expect(loadDashboard(t.db, yongxiu, { ...WIDE, placeId: ids.cityId })).rejects.toMatchObject({ code: 'not_found' });
		await expect(loadDashboard(t.db, wuning, { ...WIDE, placeId: ids.smallCounty.villageIds[0] })).resolves.toBeTruthy();
		await expect(findClusters(t.db, wuning, { ...WIDE, placeId: ids.demoCountyId })).rejects.toMatchObject({ code: 'not_found' });
	});

	it('gives the recurring-matter search, the monthly report and the CSV export at city level', async () => {
		const clusters = await findClusters(t.db, city, WIDE);
		const countyClusters = await findClusters(t.db, yongxiu, WIDE);
		expect(clusters.clusters.length).toBeGreaterThanOrEqual(countyClusters.clusters.length);
		const report = await loadMonthlyReport(t.db, city, { month: today.slice(0, 7), placeId: null });
		expect(report.dashboard.area.kind).toBe('city');
		expect(report.dashboard.byPlace.some((p) => p.key === ids.smallCounty.countyId)).toBe(true);
		const GET = exportRoute.GET as unknown as (e: RequestEvent) => Promise<Response>;
		const response = await GET(routeEvent(`/stats/export.csv?table=place&from=${from}&to=${today}`, { user: city }));
		const csv = new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()));
		expect(csv).toContain('永修县');
		expect(csv).toMatch(/武宁县,3,/);
		const denied = await routeOutcome(() => GET(routeEvent(`/stats/export.csv?table=place&from=${from}&to=${today}&place=${ids.smallCounty.countyId}`, { user: yongxiu })));
		expect(denied).toBe(404);
	});
});
