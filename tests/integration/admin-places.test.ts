import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, departments, places } from '../../src/lib/server/db/schema';
import { createDepartment } from '../../src/lib/server/places/create-department';
import { createPlace } from '../../src/lib/server/places/create-place';
import { listDepartments } from '../../src/lib/server/places/list-departments';
import { flattenPlaces, listPlaces } from '../../src/lib/server/places/list-places';
import { renameDepartment } from '../../src/lib/server/places/rename-department';
import { renamePlace } from '../../src/lib/server/places/rename-place';
import type { Viewer } from '../../src/lib/types';
import { expectRefused, outcome, SEED_TIMEOUT, seedAdminWorld, snapshot, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
let admin: Viewer;
let place: (name: string) => number;

beforeAll(async () => {
	t = await createTestDatabase('demo');
	({ place } = await seedAdminWorld(t.db));
	admin = await viewer(t.db, 'admin');
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

describe('places', () => {
	it('lists the whole tree for the county admin, kinds following from the parent', async () => {
		const tree = await listPlaces(t.db, admin);
		expect(tree).toMatchObject({ name: '永修县', kind: 'county', childKind: 'township' });
		expect(tree.children).toHaveLength(3);
		for (const township of tree.children) {
			expect(township).toMatchObject({ kind: 'township', childKind: 'village' });
			for (const village of township.children) expect(village).toMatchObject({ kind: 'village', childKind: null, children: [] });
		}
		const flat = flattenPlaces(tree);
		expect(flat).toHaveLength(11);
		expect(flat[0]).toMatchObject({ name: '永修县', depth: 0 });
	});

	it('rejects empty, overlong and duplicate names and a village under a village, writing nothing', async () => {
		const township = place('涂埠镇');
		await expectRefused(t.db, () => createPlace(t.db, admin, { parentId: township, name: ' \u3000 ' }), { code: 'invalid', fields: { name: 'err_required' } });
		await expectRefused(t.db, () => createPlace(t.db, admin, { parentId: township, name: '村'.repeat(61) }), { code: 'invalid', fields: { name: 'err_too_long' } });
		await expectRefused(t.db, () => createPlace(t.db, admin, { parentId: township, name: '城南村' }), { code: 'conflict', fields: { name: 'err_place_name_taken' } });
		await expectRefused(t.db, () => createPlace(t.db, admin, { parentId: place('城南村'), name: '城南一组' }), {
			code: 'invalid',
			fields: { parentId: 'err_village_has_no_children' }
		});
		await expectRefused(t.db, () => createPlace(t.db, admin, { parentId: '', name: '新县' }), { code: 'invalid', fields: { parentId: 'err_required' } });
		await expectRefused(t.db, () => renamePlace(t.db, admin, { id: place('城南村'), name: '' }), { code: 'invalid', fields: { name: 'err_required' } });
		await expectRefused(t.db, () => renamePlace(t.db, admin, { id: place('城南村'), name: '名'.repeat(61) }), { code: 'invalid', fields: { name: 'err_too_long' } });
		await expectRefused(t.db, () => renamePlace(t.db, admin, { id: place('城南村'), name: '河东村' }), { code: 'conflict', fields: { name: 'err_place_name_taken' } });
		await expectRefused(t.db, () => renamePlace(t.db, admin, { id: 999999, name: '无此村' }), { code: 'not_found', fields: {} });
	});

	it('adds a village under a township and renames it, each with an audit row', async () => {
		const { id, kind } = await createPlace(t.db, admin, { parentId: String(place('艾城镇')), name: '新建村' });
		expect(kind).toBe('village');
		await renamePlace(t.db, admin, { id: String(id), name: '  新建社区 ' });
		const [row] = await t.db.select().from(places).where(eq(places.id, id));
		expect(row).toMatchObject({ name: '新建社区', kind: 'village', path: `/${place('永修县')}/${place('艾城镇')}/${id}/` });
		const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'place'), eq(auditLog.subjectId, String(id)))).orderBy(asc(auditLog.id));
		expect(audit.map((a) => [a.action, a.data])).toEqual([
			['place.create', { name: '新建村', kind: 'village', parentId: place('艾城镇') }],
			['place.update', { name: '新建社区', previousName: '新建村' }]
		]);
		// Renaming to the same name writes nothing.
		const before = await snapshot(t.db);
		await renamePlace(t.db, admin, { id, name: '新建社区' });
		expect(await snapshot(t.db)).toEqual(before);
	});
});

describe('departments', () => {
	it('are created and renamed only by an admin at the county', async () => {
		const townshipAdmin = await viewer(t.db, 'tubu.admin');
		const [first] = await listDepartments(t.db, townshipAdmin);
		expect(first.name).toBe('县司法局');
		await expectRefused(t.db, () => createDepartment(t.db, townshipAdmin, { name: '县教育局' }), { code: 'forbidden', fields: {} });
		await expectRefused(t.db, () => renameDepartment(t.db, townshipAdmin, { id: first.id, name: '改名局' }), { code: 'forbidden', fields: {} });
		const supervisor = await viewer(t.db, 'supervisor');
		await expectRefused(t.db, () => createDepartment(t.db, supervisor, { name: '县教育局' }), { code: 'forbidden', fields: {} });
	});

	it('rejects empty, overlong and duplicate names, writing nothing', async () => {
		const [first, second] = await listDepartments(t.db, admin);
		await expectRefused(t.db, () => createDepartment(t.db, admin, { name: '' }), { code: 'invalid', fields: { name: 'err_required' } });
		await expectRefused(t.db, () => createDepartment(t.db, admin, {}), { code: 'invalid', fields: { name: 'err_required' } });
		await expectRefused(t.db, () => createDepartment(t.db, admin, { name: '局'.repeat(61) }), { code: 'invalid', fields: { name: 'err_too_long' } });
		await expectRefused(t.db, () => createDepartment(t.db, admin, { name: ' 县信访局 ' }), { code: 'conflict', fields: { name: 'err_department_name_taken' } });
		await expectRefused(t.db, () => renameDepartment(t.db, admin, { id: first.id, name: second.name }), { code: 'conflict', fields: { name: 'err_department_name_taken' } });
		await expectRefused(t.db, () => renameDepartment(t.db, admin, { id: 999999, name: '无此局' }), { code: 'not_found', fields: {} });
	});

	it('adds and renames a department with audit rows', async () => {
		const { id } = await createDepartment(t.db, admin, { name: '县教育局' });
		expect((await outcome(renameDepartment(t.db, admin, { id: String(id), name: '县教育体育局' }))).code).toBe('ok');
		const [row] = await t.db.select().from(departments).where(eq(departments.id, id));
		expect(row).toMatchObject({ name: '县教育体育局', countyId: place('永修县') });
		const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'department'), eq(auditLog.subjectId, String(id)))).orderBy(asc(auditLog.id));
		expect(audit.map((a) => a.action)).toEqual(['department.create', 'department.update']);
	});
});
