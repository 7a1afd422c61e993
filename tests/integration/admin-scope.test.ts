import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/lib/server/people/create-user';
import { disableUser } from '../../src/lib/server/people/disable-user';
import { enableUser } from '../../src/lib/server/people/enable-user';
import { getPerson } from '../../src/lib/server/people/get-person';
import { listPeople } from '../../src/lib/server/people/list-people';
import { resetPassword } from '../../src/lib/server/people/reset-password';
import { updateUser } from '../../src/lib/server/people/update-user';
import { createPlace } from '../../src/lib/server/places/create-place';
import { listPlaces } from '../../src/lib/server/places/list-places';
import { renamePlace } from '../../src/lib/server/places/rename-place';
import type { Viewer } from '../../src/lib/types';
import { expectRefused, outcome, SEED_TIMEOUT, seedAdminWorld, userId, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/**
 * IDOR: an admin below the county reaches only their own subtree, and whatever lies outside it
 * answers exactly like an id that does not exist.
 */
let t: TestDatabase;
let village: Viewer; // admin at 城南村 (涂埠镇)
let township: Viewer; // admin at 涂埠镇
let place: (name: string) => number;

beforeAll(async () => {
	t = await createTestDatabase('demo');
	({ place } = await seedAdminWorld(t.db));
	village = await viewer(t.db, 'chengnan.admin');
	township = await viewer(t.db, 'tubu.admin');
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

const fieldsOf = async (username: string) => {
	const p = await getPerson(t.db, await viewer(t.db, 'admin'), await userId(t.db, username));
	return {
		id: String(p.id),
		name: p.name,
		username: p.username,
		phone: p.phone,
		placeId: String(p.place.id),
		departmentId: p.department ? String(p.department.id) : '',
		roles: p.roles.map((r) => r.role),
		panelistType: p.roles.find((r) => r.panelistType)?.panelistType ?? ''
	};
};

describe('a village admin', () => {
	it('cannot read, update, disable, enable or reset a person of another village or of the township above', async () => {
		for (const username of ['qiujin.villager', 'grid', 'mediator', 'tubu.admin', 'admin']) {
			const id = await userId(t.db, username);
			await expectRefused(t.db, () => getPerson(t.db, village, id), { code: 'not_found', fields: {} });
			const fields = await fieldsOf(username);
			await expectRefused(t.db, () => updateUser(t.db, village, { ...fields, name: '改' }), { code: 'not_found', fields: {} });
			// Even into the admin's own village: the person is not theirs to move.
			await expectRefused(t.db, () => updateUser(t.db, village, { ...fields, placeId: String(place('城南村')) }), { code: 'not_found', fields: {} });
			await expectRefused(t.db, () => disableUser(t.db, village, id), { code: 'not_found', fields: {} });
			await expectRefused(t.db, () => enableUser(t.db, village, id), { code: 'not_found', fields: {} });
			await expectRefused(t.db, () => resetPassword(t.db, village, { id, password: 'a-long-password-2' }), { code: 'not_found', fields: {} });
		}
	});

	it('gets the same answer for someone outside the area as for an id that does not exist', async () => {
		const outside = await outcome(getPerson(t.db, village, await userId(t.db, 'qiujin.villager')));
		const missing = await outcome(getPerson(t.db, village, 987654));
		const garbage = await outcome(getPerson(t.db, village, '1 or 1=1'));
		expect(outside).toEqual(missing);
		expect(garbage).toEqual(missing);
	});

	it('lists and manages only the people of their own village', async () => {
		const listed = await listPeople(t.db, village, {});
		expect(new Set(listed.items.map((p) => p.place.name))).toEqual(new Set(['城南村']));
		expect((await listPeople(t.db, village, { q: '杨春' })).total).toBe(0);
		expect((await listPeople(t.db, village, { q: '13800138010' })).total).toBe(0);

		const own = await fieldsOf('party');
		expect((await outcome(updateUser(t.db, village, { ...own, name: '当事人 孙大爷' }))).code).toBe('ok');
		expect((await getPerson(t.db, village, own.id)).name).toBe('当事人 孙大爷');
	});

	it('cannot create a person in another village or in the township', async () => {
		for (const at of ['虬津村', '河东村', '涂埠镇']) {
			await expectRefused(
				t.db,
				() => createUser(t.db, village, { name: '越权 丙', phone: '13700137300', placeId: place(at), roles: ['party'], password: 'a-long-password-3' }),
				{ code: 'invalid', fields: { placeId: 'err_place_not_found' } }
			);
		}
		expect(
			(await outcome(createUser(t.db, village, { name: '本村 丁', phone: '13700137301', placeId: place('城南村'), roles: ['party'], password: 'a-long-password-3' }))).code
		).toBe('ok');
	});

	it('cannot move their own account or a person of their village to another village', async () => {
		const self = await fieldsOf('chengnan.admin');
		await expectRefused(t.db, () => updateUser(t.db, village, { ...self, placeId: String(place('虬津村')) }), {
			code: 'invalid',
			fields: { placeId: 'err_place_not_found' }
		});
		await expectRefused(t.db, () => updateUser(t.db, village, { ...self, placeId: String(place('涂埠镇')) }), {
			code: 'invalid',
			fields: { placeId: 'err_place_not_found' }
		});
		const own = await fieldsOf('agent');
		await expectRefused(t.db, () => updateUser(t.db, village, { ...own, placeId: String(place('河东村')) }), {
			code: 'invalid',
			fields: { placeId: 'err_place_not_found' }
		});
	});

	it('cannot rename another village or the township, nor add a place under a village', async () => {
		for (const name of ['虬津村', '河东村', '涂埠镇', '永修县']) {
			await expectRefused(t.db, () => renamePlace(t.db, village, { id: place(name), name: '改名村' }), { code: 'not_found', fields: {} });
		}
		await expectRefused(t.db, () => createPlace(t.db, village, { parentId: place('城南村'), name: '城南一组' }), {
			code: 'invalid',
			fields: { parentId: 'err_village_has_no_children' }
		});
		await expectRefused(t.db, () => createPlace(t.db, village, { parentId: place('涂埠镇'), name: '越权村' }), {
			code: 'not_found',
			fields: { parentId: 'err_place_not_found' }
		});
		const tree = await listPlaces(t.db, village);
		expect(tree).toMatchObject({ name: '城南村', kind: 'village', childKind: null, children: [] });
	});
});

describe('a township admin', () => {
	it('manages the villages below but nothing beside or above', async () => {
		const tree = await listPlaces(t.db, township);
		expect(tree.name).toBe('涂埠镇');
		expect(tree.children.map((c) => c.name).sort()).toEqual(['城南村', '河东村', '燕坊村'].sort());

		const grid = await fieldsOf('grid');
		expect((await outcome(updateUser(t.db, township, { ...grid, placeId: String(place('燕坊村')) }))).code).toBe('ok');
		await expectRefused(t.db, () => updateUser(t.db, township, { ...grid, placeId: String(place('虬津村')) }), {
			code: 'invalid',
			fields: { placeId: 'err_place_not_found' }
		});
		for (const username of ['qiujin.villager', 'qiujin.admin', 'admin', 'supervisor']) {
			const id = await userId(t.db, username);
			await expectRefused(t.db, () => disableUser(t.db, township, id), { code: 'not_found', fields: {} });
		}
		await expectRefused(t.db, () => renamePlace(t.db, township, { id: place('虬津村'), name: '改名村' }), { code: 'not_found', fields: {} });
		expect((await outcome(renamePlace(t.db, township, { id: place('燕坊村'), name: '燕坊新村' }))).code).toBe('ok');
	});
});
