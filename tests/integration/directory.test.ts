import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/lib/server/db/schema';
import { getStaffMember } from '../../src/lib/server/people/get-staff-member';
import { listStaff } from '../../src/lib/server/people/list-staff';
import type { Viewer } from '../../src/lib/types';
import { outcome, SEED_TIMEOUT, seedAdminWorld, userId, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
let villager: Viewer; // 法律明白人 at 城南村

beforeAll(async () => {
	t = await createTestDatabase('demo');
	await seedAdminWorld(t.db);
	villager = await viewer(t.db, 'villager');
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

describe('staff directory', () => {
	it("shows a village's staff only the people of that village, with masked phones and no parties", async () => {
		const { items, total } = await listStaff(t.db, villager, {});
		expect(new Set(items.map((p) => p.place.name))).toEqual(new Set(['城南村']));
		expect(items.map((p) => p.name).sort()).toEqual(['代办员 吴小红', '法律明白人 张德明', '管理员 chengnan.admin', '老党员 黄福生'].sort());
		expect(total).toBe(4);
		for (const p of items) expect(p.phone).toMatch(/^\*{7}\d{4}$/);
		expect(JSON.stringify(items)).not.toContain('13800138005');
	});

	it('does not find people of 虬津村 by search nor by id, exactly as if they did not exist', async () => {
		expect((await listStaff(t.db, villager, { q: '杨春' })).total).toBe(0);
		expect((await listStaff(t.db, villager, { q: 'qiujin' })).total).toBe(0);
		const outside = await outcome(getStaffMember(t.db, villager, await userId(t.db, 'qiujin.villager')));
		expect(outside).toEqual({ code: 'not_found', fields: {} });
		expect(await outcome(getStaffMember(t.db, villager, 999999))).toEqual(outside);
		// Nor the township above.
		expect(await outcome(getStaffMember(t.db, villager, await userId(t.db, 'mediator')))).toEqual(outside);
	});

	it('does not match phone numbers for non-admins, since they see them masked', async () => {
		expect((await listStaff(t.db, villager, { q: '13800138006' })).total).toBe(0);
		expect((await listStaff(t.db, villager, { q: '黄福生' })).total).toBe(1);
	});

	it('shows one colleague in full, but not a party or a disabled account', async () => {
		const colleague = await getStaffMember(t.db, villager, String(await userId(t.db, 'panelist')));
		expect(colleague).toMatchObject({ name: '老党员 黄福生', phone: '13800138006', placeTrail: ['永修县', '涂埠镇', '城南村'] });
		expect(colleague.roles).toEqual([{ role: 'panelist', panelistType: 'veteran_party_member' }]);
		expect((await outcome(getStaffMember(t.db, villager, await userId(t.db, 'party')))).code).toBe('not_found');
		await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.username, 'agent'));
		expect((await outcome(getStaffMember(t.db, villager, await userId(t.db, 'agent')))).code).toBe('not_found');
		expect((await listStaff(t.db, villager, {})).items.map((p) => p.name)).not.toContain('代办员 吴小红');
		await t.db.update(users).set({ disabledAt: null }).where(eq(users.username, 'agent'));
	});

	it('shows a township supervisor the villages below, and an admin full phones', async () => {
		const supervisor = await viewer(t.db, 'tubu.supervisor');
		const places = new Set((await listStaff(t.db, supervisor, {})).items.map((p) => p.place.name));
		expect(places).toEqual(new Set(['涂埠镇', '城南村', '河东村', '燕坊村']));
		const admin = await viewer(t.db, 'admin');
		const all = await listStaff(t.db, admin, { q: '黄福生' });
		expect(all.items[0].phone).toBe('13800138006');
	});

	it('is not open to a party', async () => {
		const party = await viewer(t.db, 'party');
		expect((await outcome(listStaff(t.db, party, {}))).code).toBe('forbidden');
		expect((await outcome(getStaffMember(t.db, party, await userId(t.db, 'villager')))).code).toBe('forbidden');
	});
});
