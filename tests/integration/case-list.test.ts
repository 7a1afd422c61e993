import { isHttpError, isRedirect } from '@sveltejs/kit';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { listCases, type CaseListPage } from '../../src/lib/server/cases/list/list-cases';
import { COUNT_CAP, DEFAULT_FILTERS, MAX_PAGE, parseListFilters, type CaseListFilters } from '../../src/lib/server/cases/list/rules';
import { caseParties, cases, departments, places, userRoles, users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { caseVisibility } from '../../src/lib/server/cases/scope';
import type { RoleName, Viewer } from '../../src/lib/types';
import { load } from '../../src/routes/(app)/cases/+page.server';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { routeEvent } from '../support/route-event';
import { refusalOf } from '../support/app-error';

// The route reads the process database; point it at this file's database.
vi.mock('../../src/lib/server/db', async (original) => ({ ...(await original<object>()), getDb: async () => t.db }));

let t: TestDatabase;
const viewers: Record<string, Viewer> = {};
const placeIds: Record<string, number> = {};
/** The planted matters c1…c5, by name. */
const ids: Record<string, number> = {};
const numbers: Record<string, string> = {};
const TODAY = '2026-06-15';
// Seeding hashes demo passwords (argon2): slow on a busy machine.
const SETUP_TIMEOUT = 240_000;

async function addUser(username: string, place: string, roles: RoleName[], department?: string) {
	const [dept] = department ? await t.db.select({ id: departments.id }).from(departments).where(eq(departments.name, department)) : [];
	const [u] = await t.db
		.insert(users)
		.values({ name: `测试 ${username}`, username, passwordHash: 'unused', placeId: placeIds[place], departmentId: dept?.id ?? null })
		.returning({ id: users.id });
	await t.db.insert(userRoles).values(roles.map((role) => ({ userId: u.id, role, panelistType: role === 'panelist' ? ('lawyer' as const) : null })));
}

const matter = (place: string, patch: Record<string, unknown>) => ({
	channel: 'walk_in',
	categoryId: 3,
	placeId: placeIds[place],
	title: '邻里纠纷',
	description: '双方因琐事发生争执。',
	parties: [{ side: 'applicant', name: '张三', phone: '13907920011', idNumber: '11010519491231002X' }],
	...patch
});

beforeAll(async () => {
	t = await createTestDatabase('demo');
	// The demo county may bring demo matters of its own; the assertions below are about the planted ones only.
	await t.db.delete(cases);
	for (const p of await t.db.select({ id: places.id, name: places.name }).from(places)) placeIds[p.name] = p.id;
	// A county supervisor outside any department, and a department member with no area role.
	await addUser('county.staff', '永修县', ['supervisor']);
	await addUser('labour.member', '永修县', ['panelist'], '县人力资源和社会保障局');
	// Supervisors who also sit in that department: one at the county, one at a township.
	await addUser('county.labour', '永修县', ['supervisor'], '县人力资源和社会保障局');
	await addUser('tubu.labour', '涂埠镇', ['supervisor'], '县人力资源和社会保障局');
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) viewers[u.username!] = (await loadViewer(t.db, u.id))!;

	const file = async (key: string, actor: string, raw: Record<string, unknown>, row: Partial<typeof cases.$inferInsert>) => {
		const filed = await fileCase(t.db, viewers[actor], raw);
		await t.db.update(cases).set(row).where(eq(cases.id, filed.id));
		ids[key] = filed.id;
		numbers[key] = filed.number;
	};
	const at = (s: string) => new Date(s);
	await file('c1', 'agent', matter('城南村', { categoryId: 3, title: '宅基地边界纠纷', parties: [{ side: 'applicant', name: '孙大伯', phone: '13907920011', idNumber: '11010519491231002X' }] }), {
		status: 'registered',
		nextDueOn: '2026-06-14',
		registeredAt: at('2026-01-10T10:00:00+08:00'),
		lastActivityAt: at('2026-06-01T09:00:00+08:00')
	});
	await file('c2', 'grid', matter('河东村', { categoryId: 1, title: '山林边界纠纷', description: '与 ZHANG Wei 家的山林边界不清。', parties: [{ side: 'applicant', name: '李明' }] }), {
		status: 'accepted',
		nextDueOn: '2026-06-15',
		registeredAt: at('2026-02-01T10:00:00+08:00'),
		lastActivityAt: at('2026-06-10T09:00:00+08:00')
	});
	await file('c3', 'qiujin.villager', matter('虬津村', { channel: 'phone', categoryId: 4, title: '借款纠纷', description: '借款 5 万元 100% 未还。', parties: [{ side: 'applicant', name: '王五' }] }), {
		status: 'assigned',
		nextDueOn: '2026-06-18',
		registeredAt: at('2026-03-01T10:00:00+08:00'),
		lastActivityAt: at('2026-05-01T09:00:00+08:00')
	});
	const [labour] = await t.db.select({ id: departments.id }).from(departments).where(eq(departments.name, '县人力资源和社会保障局'));
	await t.db.update(cases).set({ departmentId: labour.id }).where(eq(cases.id, ids.c3));
	await file(
		'c4',
		'supervisor',
		matter('艾城村', {
			categoryId: 5,
			title: '拖欠工资',
			repeatOfNumber: numbers.c3,
			parties: [{ side: 'applicant', kind: 'organisation', name: '永修县鑫源劳务有限公司' }]
		}),
		// 00:30 Beijing time on 1 April is still 31 March in UTC: the date filter must use the Shanghai date.
		{ status: 'in_mediation', nextDueOn: '2026-06-19', registeredAt: at('2026-04-01T00:30:00+08:00'), lastActivityAt: at('2026-06-12T09:00:00+08:00') }
	);
	await file(
		'c5',
		'mediator',
		matter('城南村', {
			channel: 'video',
			categoryId: 2,
			title: '赡养纠纷',
			parties: [
				{ side: 'applicant', name: '赵六', phone: '13907920033' },
				{ side: 'applicant', name: '钱七' }
			]
		}),
		{ status: 'archived', nextDueOn: null, registeredAt: at('2026-05-01T10:00:00+08:00'), lastActivityAt: at('2026-05-20T09:00:00+08:00') }
	);
	// The demo party account is 孙大伯 of c1.
	await t.db.update(caseParties).set({ userId: viewers.party.id }).where(eq(caseParties.caseId, ids.c1));
}, SETUP_TIMEOUT);
afterAll(() => t.destroy());

const list = (viewer: string, f: Partial<CaseListFilters> = {}) => listCases(t.db, viewers[viewer], { ...DEFAULT_FILTERS, ...f }, { today: TODAY });
const keysOf = (page: CaseListPage) => page.rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id) ?? `#${r.id}`);
const seen = async (viewer: string, f: Partial<CaseListFilters> = {}) => keysOf(await list(viewer, f));

describe('listCases filters', () => {
	it('lists everything in scope, newest registration first', async () => {
		const page = await list('county.staff');
		expect(keysOf(page)).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
		expect(page.total).toEqual({ count: 5, capped: false });
		expect(page.hasNext).toBe(false);
	});

	it('narrows by status, one or several', async () => {
		expect(await seen('county.staff', { statuses: ['registered'] })).toEqual(['c1']);
		expect(await seen('county.staff', { statuses: ['accepted', 'registered'] })).toEqual(['c2', 'c1']);
	});

	it('narrows by the township or village where the matter arose', async () => {
		expect(await seen('county.staff', { placeId: placeIds['涂埠镇'] })).toEqual(['c5', 'c2', 'c1']);
		expect(await seen('county.staff', { placeId: placeIds['城南村'] })).toEqual(['c5', 'c1']);
		expect(await seen('county.staff', { placeId: placeIds['虬津村'] })).toEqual(['c3']);
	});

	it('refuses a place outside the viewer’s area, or the county itself, as not found', async () => {
		expect(await refusalOf(list('tubu.supervisor', { placeId: placeIds['虬津村'] }))).toEqual({ place: 'err_place_not_found' });
		expect(await refusalOf(list('tubu.supervisor', { placeId: placeIds['永修县'] }))).toEqual({ place: 'err_place_not_found' });
		expect(await refusalOf(list('tubu.supervisor', { placeId: 999_999 }))).toEqual({ place: 'err_place_not_found' });
	});

	it('narrows by category, channel and repeat', async () => {
		expect(await seen('county.staff', { categoryId: 1 })).toEqual(['c2']);
		expect(await seen('county.staff', { channel: 'grid_report' })).toEqual(['c2']);
		expect(await seen('county.staff', { channel: 'agent' })).toEqual(['c1']);
		expect(await seen('county.staff', { repeatOnly: true })).toEqual(['c4']);
	});

	it('computes the due state from the stored date against the given today', async () => {
		expect(await seen('county.staff', { due: 'overdue' })).toEqual(['c1']);
		// Today itself and today + 3 are both "due soon"; today + 4 is fine.
		expect(await seen('county.staff', { due: 'due_soon' })).toEqual(['c3', 'c2']);
		expect(await seen('county.staff', { due: 'ok' })).toEqual(['c4']);
		const states = Object.fromEntries((await list('county.staff')).rows.map((r) => [r.number, r.dueState]));
		expect(states).toEqual({ [numbers.c1]: 'overdue', [numbers.c2]: 'due_soon', [numbers.c3]: 'due_soon', [numbers.c4]: 'ok', [numbers.c5]: null });
		// A day later the boundary moves with it.
		const tomorrow = await listCases(t.db, viewers['county.staff'], { ...DEFAULT_FILTERS, due: 'overdue' }, { today: '2026-06-16' });
		expect(keysOf(tomorrow)).toEqual(['c2', 'c1']);
	});

	it('finds text in titles, descriptions (any case) and party names, and numbers exactly', async () => {
		expect(await seen('county.staff', { text: '宅基地' })).toEqual(['c1']);
		expect(await seen('county.staff', { text: 'zhang wei' })).toEqual(['c2']);
		expect(await seen('county.staff', { text: '钱七' })).toEqual(['c5']);
		expect(await seen('county.staff', { text: numbers.c3 })).toEqual(['c3']);
		// LIKE wildcards are taken literally.
		expect(await seen('county.staff', { text: '100%' })).toEqual(['c3']);
		expect(await seen('county.staff', { text: '%' })).toEqual(['c3']);
		expect(await seen('county.staff', { text: '_' })).toEqual([]);
	});

	it('narrows by registration date on the Shanghai calendar', async () => {
		expect(await seen('county.staff', { from: '2026-04-01' })).toEqual(['c5', 'c4']);
		expect(await seen('county.staff', { to: '2026-03-31' })).toEqual(['c3', 'c2', 'c1']);
		expect(await seen('county.staff', { from: '2026-04-01', to: '2026-04-01' })).toEqual(['c4']);
	});

	it('combines filters with AND', async () => {
		expect(await seen('county.staff', { statuses: ['assigned', 'in_mediation'], due: 'due_soon', categoryId: 4 })).toEqual(['c3']);
		expect(await seen('county.staff', { statuses: ['assigned'], due: 'ok' })).toEqual([]);
	});

	it('sorts by registration either way, by nearest deadline and by last activity', async () => {
		expect(await seen('county.staff', { sort: 'registered_asc' })).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
		expect(await seen('county.staff', { sort: 'due_asc' })).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
		expect(await seen('county.staff', { sort: 'activity_desc' })).toEqual(['c4', 'c2', 'c1', 'c5', 'c3']);
	});
});

describe('listCases scope', () => {
	it('shows each viewer only their own scope, filters never widening it', async () => {
		expect(await seen('villager')).toEqual(['c5', 'c1']);
		expect(await seen('qiujin.villager')).toEqual(['c3']);
		expect(await seen('tubu.supervisor')).toEqual(['c5', 'c2', 'c1']);
		expect(await seen('mediator')).toEqual(['c5', 'c2', 'c1']);
		expect(await seen('agent')).toEqual(['c1']);
		expect(await seen('grid')).toEqual(['c2']);
		expect(await seen('labour.member')).toEqual(['c3']);
		expect(await seen('party')).toEqual(['c1']);
		expect(await seen('villager', { text: numbers.c3 })).toEqual([]);
		expect(await seen('agent', { placeId: placeIds['城南村'] })).toEqual(['c1']);
		expect((await list('party')).total).toEqual({ count: 1, capped: false });
	});

	it('leaves a department out of a county supervisor’s scope only because its matters are the county’s', async () => {
		// The county's staff see the department's matter (c3) as one of the county's: the query has no
		// department branch (an OR that kept PostgreSQL off the county's indexes). Below the county the branch
		// stays: the township supervisor in the department also sees c3, which arose elsewhere.
		const scopeSql = (username: string) => t.db.select({ id: cases.id }).from(cases).where(caseVisibility(viewers[username])).toSQL().sql;
		expect(await seen('county.labour')).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
		expect(scopeSql('county.labour')).not.toContain('department_id');
		expect(await seen('tubu.labour')).toEqual(['c5', 'c3', 'c2', 'c1']);
		expect(scopeSql('tubu.labour')).toContain('department_id');
		expect(scopeSql('labour.member')).toContain('department_id');
	});

	it('refuses admin; a panelist’s list holds only the matters of his panels (none of these)', async () => {
		expect(await refusalOf(list('admin'))).toBe('forbidden');
		expect((await list('panelist')).rows).toEqual([]);
	});
});

describe('listCases rows', () => {
	it('shows only a masked first applicant, never full personal data', async () => {
		const page = await list('county.staff');
		const byKey = Object.fromEntries(page.rows.map((r) => [keysOf({ ...page, rows: [r] })[0], r]));
		expect(byKey.c1.applicant).toBe('孙**');
		expect(byKey.c5.applicant).toBe('赵**');
		expect(byKey.c4.applicant).toBe('永修县鑫源劳务有限公司');
		const text = JSON.stringify(page);
		for (const secret of ['孙大伯', '赵六', '钱七', '13907920011', '13907920033', '11010519491231002X']) expect(text).not.toContain(secret);
		expect(byKey.c3).toMatchObject({ number: numbers.c3, title: '借款纠纷', channel: 'phone', status: 'assigned', placeName: '虬津村', isRepeat: false, nextDueOn: '2026-06-18' });
		expect(byKey.c3.category).toEqual({ zh: '债务纠纷', en: 'Debts' });
		expect(byKey.c4.isRepeat).toBe(true);
	});
});

describe('the /cases page load', () => {
	const event = (viewer: Viewer | null, search = '') => routeEvent(`/cases${search}`, { user: viewer, routeId: '/(app)/cases' });
	const statusOf = async (run: () => unknown) => {
		try {
			await run();
			return 'ok';
		} catch (err) {
			if (isHttpError(err)) return err.status;
			if (isRedirect(err)) return `redirect ${err.location}`;
			throw err;
		}
	};
	const callLoad = (viewer: Viewer | null, search = '') => load(event(viewer, search) as Parameters<typeof load>[0]) as Promise<Record<string, unknown>>;

	it('refuses non-casework roles with 403 and asks strangers to sign in', async () => {
		expect(await statusOf(() => callLoad(viewers.admin))).toBe(403);
		// A panelist's list is "my cases", scoped to his panels (notices.test.ts checks its rows).
		expect(await statusOf(() => callLoad(viewers.panelist))).toBe('ok');
		expect(await statusOf(() => callLoad(null, '?q=x'))).toBe('redirect /login?next=%2Fcases%3Fq%3Dx');
		expect(await statusOf(() => callLoad(viewers.villager))).toBe('ok');
		expect(await statusOf(() => callLoad(viewers['labour.member']))).toBe('ok');
	});

	it('reads the filters from the URL and offers only places in scope', async () => {
		const data = (await callLoad(viewers['tubu.supervisor'], `?q=${encodeURIComponent('宅基地')}&status=registered&status=bogus`)) as {
			filters: CaseListFilters;
			result: CaseListPage;
			options: { places: { name: string; villages: { name: string }[] }[] };
		};
		expect(data.filters).toMatchObject({ text: '宅基地', statuses: ['registered'] });
		expect(data.result.rows.map((r) => r.id)).toEqual([ids.c1]);
		expect(data.options.places.map((p) => p.name)).toEqual(['涂埠镇']);
		expect(data.options.places[0].villages.map((v) => v.name).sort()).toEqual(['城南村', '河东村', '燕坊村'].sort());
	});

	it('streams the count of a text search after its rows; every other list counts with the page', async () => {
		const tubu = viewers['tubu.supervisor'];
		// Page 3 of a search has no rows of its own to tell the total, so the count takes a statement.
		const searched = (await callLoad(tubu, `?q=${encodeURIComponent('宅基地')}&page=3`)) as { result: CaseListPage; total: unknown };
		expect(searched.result.rows).toEqual([]);
		expect(searched.total).toBeInstanceOf(Promise);
		const whole = await listCases(t.db, tubu, { ...DEFAULT_FILTERS, text: '宅基地' });
		expect(whole.total.count).toBeGreaterThan(0);
		await expect(searched.total).resolves.toEqual(whole.total);
		const plain = (await callLoad(tubu, '?page=3')) as { total: unknown };
		expect(plain.total).toEqual((await listCases(t.db, tubu, DEFAULT_FILTERS)).total);
		// A case number is no text search: counted with the page.
		const number = (await callLoad(tubu, '?q=2026-999999&page=2')) as { total: unknown };
		expect(number.total).toEqual({ count: 0, capped: false });
	});

	it('drops an out-of-scope place with a message instead of failing', async () => {
		const data = (await callLoad(viewers['tubu.supervisor'], `?place=${placeIds['虬津村']}`)) as { fields: Record<string, string>; result: CaseListPage };
		expect(data.fields).toEqual({ place: 'err_place_not_found' });
		expect(data.result.rows.map((r) => r.id).sort()).toEqual([ids.c1, ids.c2, ids.c5].sort());
	});
});

describe('listCases pagination', () => {
	beforeAll(async () => {
		// 45 more matters registered at the same instant: ties must still page without gaps or repeats.
		const [template] = await t.db.select().from(cases).where(eq(cases.id, ids.c5));
		const { id: _id, ...rest } = template;
		await t.db.insert(cases).values(
			Array.from({ length: 45 }, (_, i) => ({ ...rest, number: `2025-${String(900_000 + i)}`, registeredAt: new Date('2025-12-31T10:00:00+08:00'), title: '同日登记' }))
		);
	}, SETUP_TIMEOUT);

	it('pages by 20 in a stable order with the exact total', async () => {
		const pages = [await list('county.staff', { page: 1 }), await list('county.staff', { page: 2 }), await list('county.staff', { page: 3 })];
		expect(pages.map((p) => p.rows.length)).toEqual([20, 20, 10]);
		expect(pages.map((p) => p.hasNext)).toEqual([true, true, false]);
		expect(pages.every((p) => p.total.count === 50 && !p.total.capped)).toBe(true);
		const all = pages.flatMap((p) => p.rows.map((r) => r.id));
		expect(new Set(all).size).toBe(50);
		const again = [await list('county.staff', { page: 2 }), await list('county.staff', { page: 3 })].flatMap((p) => p.rows.map((r) => r.id));
		expect(again).toEqual(all.slice(20));
		const beyond = await list('county.staff', { page: 4 });
		expect(beyond.rows).toEqual([]);
		expect(beyond.total).toEqual({ count: 50, capped: false });
	});

	it('caps the count at COUNT_CAP and the page number at MAX_PAGE', async () => {
		await t.db.execute(sql`
			insert into cases (number, query_code_hash, channel, category_id, title, description, status, county_id, place_id, place_path, registered_at, last_activity_at)
			select 'B-' || g, repeat('0', 64), 'phone', 3, '批量', '批量', 'archived', ${placeIds['永修县']}, ${placeIds['永修县']}, '/', now() - g * interval '1 minute', now()
			from generate_series(1, ${COUNT_CAP}) g`);
		const page = await list('county.staff');
		expect(page.total).toEqual({ count: COUNT_CAP, capped: true });
		expect(page.hasNext).toBe(true);
		expect(parseListFilters(new URLSearchParams('page=9999')).filters.page).toBe(MAX_PAGE);
		expect((await list('county.staff', { page: MAX_PAGE })).rows.length).toBe(20);
		await t.db.delete(cases).where(sql`${cases.number} like 'B-%'`);
	}, SETUP_TIMEOUT);
});
