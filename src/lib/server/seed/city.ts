import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db';
import { caseCategories, cases, coordinationMeetings, matterClusters, places, users } from '../db/schema';
import { fileCase } from '../cases/intake/file-case';
import { loadViewer } from '../people/load-viewer';
import { createUser } from '../people/create-user';
import { createPlace } from '../places/create-place';
import { DEMO_PASSWORD } from './demo-password';

/**
 * Levels above the county for the bulk data and the tests (issue 21). The demo itself stays one county;
 * these put a city (市) above it, add counties beside it, and give the city a supervisor.
 */

/** The city of the reference county, and the counties and districts it runs (九江市 has 13). */
export const CITY_NAME = '九江市';
export const CITY_COUNTIES = ['永修县', '武宁县', '修水县', '都昌县', '湖口县', '彭泽县', '德安县', '瑞昌市', '共青城市', '庐山市', '柴桑区', '濂溪区', '浔阳区'];

/** The city supervisor: sees and supervises every county of the city. */
export const CITY_SUPERVISOR = { username: 'city.supervisor', phone: '13800138020', name: '市矛调中心 罗明' } as const;

/** The city (created as a root when missing) and its supervisor account. */
export async function ensureCity(db: Db, name = CITY_NAME): Promise<{ id: number; path: string }> {
	let [city] = await db
		.select({ id: places.id, path: places.path })
		.from(places)
		.where(and(eq(places.kind, 'city'), eq(places.name, name)))
		.limit(1);
	if (!city) {
		const created = await createPlace(db, null, { name, parentId: null, kind: 'city' });
		city = { id: created.id, path: created.path };
	}
	const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.username, CITY_SUPERVISOR.username)).limit(1);
	if (!existing) {
		await createUser(db, null, { ...CITY_SUPERVISOR, placeId: city.id, roles: ['supervisor'], password: DEMO_PASSWORD });
	}
	return city;
}

/**
 * Puts a county that was its own root under a city: the county joins the city's platform. Every path
 * in the county gains the city's path in front (places, the matters' current places, confirmed
 * clusters, meetings), and the county's matters record their city and province. One transaction.
 */
export async function placeCountyInCity(db: Db, countyId: number, city: { id: number; path: string }): Promise<void> {
	await db.transaction(async (tx) => {
		const [county] = await tx
			.select({ path: places.path })
			.from(places)
			.where(and(eq(places.id, countyId), eq(places.kind, 'county'), isNull(places.parentId)))
			.for('update')
			.limit(1);
		if (!county) throw new Error(`place ${countyId} is not a county at the root of its tree`);
		const [cityRow] = await tx.select({ parentId: places.parentId }).from(places).where(eq(places.id, city.id));
		const under = `${county.path}%`;
		const prefix = (column: AnyPgColumn) => sql`${city.path} || substr(${column}, 2)`;
		await tx.update(places).set({ parentId: city.id }).where(eq(places.id, countyId));
		await tx.update(places).set({ path: prefix(places.path) }).where(sql`${places.path} like ${under}`);
		await tx
			.update(cases)
			.set({ placePath: prefix(cases.placePath), cityId: city.id, provinceId: cityRow.parentId })
			.where(eq(cases.countyId, countyId));
		await tx.update(matterClusters).set({ placePath: prefix(matterClusters.placePath) }).where(sql`${matterClusters.placePath} like ${under}`);
		await tx
			.update(coordinationMeetings)
			.set({ placePath: prefix(coordinationMeetings.placePath) })
			.where(sql`${coordinationMeetings.placePath} like ${under}`);
	});
}

/**
 * A small second county for the tests of the city level: one township of two villages, a county
 * supervisor (`wuning.supervisor`) and three matters filed by them.
 */
export async function seedSmallCounty(db: Db, city: { id: number }, name = '武宁县'): Promise<{ countyId: number; townshipId: number; villageIds: number[] }> {
	const county = await createPlace(db, null, { name, parentId: city.id });
	const township = await createPlace(db, null, { name: '鲁溪镇', parentId: county.id });
	const villages = [await createPlace(db, null, { name: '大桥村', parentId: township.id }), await createPlace(db, null, { name: '洞口村', parentId: township.id })];
	const { id: supervisorId } = await createUser(db, null, {
		name: '武宁县矛调中心 熊伟',
		username: 'wuning.supervisor',
		phone: '13800138021',
		placeId: county.id,
		roles: ['supervisor'],
		password: DEMO_PASSWORD
	});
	const supervisor = (await loadViewer(db, supervisorId))!;
	const [category] = await db.select({ id: caseCategories.id }).from(caseCategories).orderBy(asc(caseCategories.sortOrder)).limit(1);
	const matters = [
		{ place: villages[0].id, title: '大桥村宅基地边界纠纷', applicant: '𠮷大爷' },
		{ place: villages[0].id, title: '大桥村灌溉水渠堵塞', applicant: '熊桂兰' },
		{ place: villages[1].id, title: '洞口村土地流转租金拖欠', applicant: '柯长根' }
	];
	for (const m of matters) {
		await fileCase(db, supervisor, {
			channel: 'walk_in',
			categoryId: category.id,
			placeId: m.place,
			title: m.title,
			description: `${m.title}，申请人请求协调解决。`,
			parties: [{ side: 'applicant', kind: 'person', name: m.applicant }]
		});
	}
	return { countyId: county.id, townshipId: township.id, villageIds: villages.map((v) => v.id) };
}

/**
 * For the tests of the city level: the demo county (already loaded) under 九江市, with a second small
 * county beside it and the city supervisor. The demo as served stays one county; this is not part of it.
 */
export async function seedDemoCity(db: Db): Promise<{ cityId: number; demoCountyId: number; smallCounty: Awaited<ReturnType<typeof seedSmallCounty>> }> {
	const [county] = await db
		.select({ id: places.id })
		.from(places)
		.where(and(eq(places.kind, 'county'), isNull(places.parentId)))
		.orderBy(asc(places.id))
		.limit(1);
	if (!county) throw new Error('load the demo county first');
	const city = await ensureCity(db);
	await placeCountyInCity(db, county.id, city);
	const smallCounty = await seedSmallCounty(db, city);
	return { cityId: city.id, demoCountyId: county.id, smallCounty };
}

