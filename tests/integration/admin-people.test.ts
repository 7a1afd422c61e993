import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/lib/server/auth/login';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { auditLog, places, userRoles, users } from '../../src/lib/server/db/schema';
import { AppError } from '../../src/lib/server/errors';
import { createUser } from '../../src/lib/server/people/create-user';
import { disableUser } from '../../src/lib/server/people/disable-user';
import { enableUser } from '../../src/lib/server/people/enable-user';
import { getPerson } from '../../src/lib/server/people/get-person';
import { listPeople } from '../../src/lib/server/people/list-people';
import { resetPassword } from '../../src/lib/server/people/reset-password';
import { updateUser } from '../../src/lib/server/people/update-user';
import { DEMO_PASSWORD } from '../../src/lib/server/seed/demo';
import type { Viewer } from '../../src/lib/types';
import { expectRefused, outcome, SEED_TIMEOUT, seedAdminWorld, userId, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
let admin: Viewer;
let place: (name: string) => number;
let departmentId: number;

beforeAll(async () => {
	t = await createTestDatabase('demo');
	({ place, departmentId } = await seedAdminWorld(t.db));
	admin = await viewer(t.db, 'admin');
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

const person = (over: Record<string, unknown> = {}) => ({
	name: '新人 甲',
	username: '',
	phone: '13700137000',
	placeId: String(place('城南村')),
	departmentId: '',
	roles: ['mediator'],
	panelistType: '',
	password: 'a-long-password-1',
	...over
});

describe('creating a person', () => {
	it('rejects bad input with the field keys and writes nothing', async () => {
		const cases: [Record<string, unknown>, Record<string, string>][] = [
			[{ name: '   ' }, { name: 'err_required' }],
			[{ name: '名'.repeat(41) }, { name: 'err_too_long' }],
			[{ phone: '1370013700' }, { phone: 'err_phone_invalid' }],
			[{ phone: '1370013700a' }, { phone: 'err_phone_invalid' }],
			[{ phone: '', username: '' }, { username: 'err_login_required' }],
			[{ username: 'ab' }, { username: 'err_username_short' }],
			[{ password: 'short-pass1' }, { password: 'err_password_short' }],
			[{ password: 'password1234' }, { password: 'sec_password_common' }],
			[{ password: 'aaaaaaaaaaaa' }, { password: 'sec_password_common' }],
			[{ roles: [] }, { roles: 'err_roles_required' }],
			[{ roles: ['panelist'] }, { panelistType: 'err_panelist_type_required' }],
			[{ roles: ['emperor'] }, { 'roles.0': 'err_invalid' }]
		];
		for (const [over, fields] of cases) {
			await expectRefused(t.db, () => createUser(t.db, admin, person(over)), { code: 'invalid', fields });
		}
	});

	it('refuses a phone or username that is taken, and writes nothing', async () => {
		await expectRefused(t.db, () => createUser(t.db, admin, person({ phone: '13800138005' })), {
			code: 'conflict',
			fields: { phone: 'err_phone_taken' }
		});
		await expectRefused(t.db, () => createUser(t.db, admin, person({ username: 'Villager', phone: '' })), {
			code: 'conflict',
			fields: { username: 'err_username_taken' }
		});
	});

	it('stores full-width digits and a +86 prefix as a plain 11-digit phone, with an audit row', async () => {
		const { id } = await createUser(t.db, admin, person({ name: '  全角 号码 ', phone: '+86 １３７-００１３-７００１', roles: ['panelist'], panelistType: 'retired_cadre' }));
		const [row] = await t.db.select().from(users).where(eq(users.id, id));
		expect(row).toMatchObject({ name: '全角 号码', phone: '13700137001' });
		expect(await t.db.select({ role: userRoles.role, type: userRoles.panelistType }).from(userRoles).where(eq(userRoles.userId, id))).toEqual([
			{ role: 'panelist', type: 'retired_cadre' }
		]);
		const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'user'), eq(auditLog.subjectId, String(id)))).orderBy(asc(auditLog.id));
		expect(audit.map((a) => a.action)).toEqual(['user.create']);
		// The duplicate check sees the normalised form.
		await expectRefused(t.db, () => createUser(t.db, admin, person({ phone: '137 0013 7001' })), { code: 'conflict', fields: { phone: 'err_phone_taken' } });
	});

	it('lets only an admin at the county put someone in a department', async () => {
		const townshipAdmin = await viewer(t.db, 'tubu.admin');
		await expectRefused(t.db, () => createUser(t.db, townshipAdmin, person({ phone: '13700137002', departmentId: String(departmentId) })), {
			code: 'invalid',
			fields: { departmentId: 'err_admin_department_county_only' }
		});
		expect((await outcome(createUser(t.db, admin, person({ phone: '13700137002', departmentId: String(departmentId) })))).code).toBe('ok');
	});
});

describe('updating a person', () => {
	let id: number;
	beforeAll(async () => {
		({ id } = await createUser(t.db, admin, person({ name: '待改 乙', phone: '13700137100', username: 'to.edit' })));
	});
	const edit = (over: Record<string, unknown> = {}) => {
		const { password: _p, ...fields } = person({ name: '待改 乙', phone: '13700137100', username: 'to.edit' });
		return { id: String(id), ...fields, ...over };
	};

	it('rejects bad input, taken logins and unknown departments, writing nothing', async () => {
		await expectRefused(t.db, () => updateUser(t.db, admin, edit({ name: '' })), { code: 'invalid', fields: { name: 'err_required' } });
		await expectRefused(t.db, () => updateUser(t.db, admin, edit({ phone: 'abcdefghijk' })), { code: 'invalid', fields: { phone: 'err_phone_invalid' } });
		await expectRefused(t.db, () => updateUser(t.db, admin, edit({ phone: '13800138003' })), { code: 'conflict', fields: { phone: 'err_phone_taken' } });
		await expectRefused(t.db, () => updateUser(t.db, admin, edit({ username: 'mediator' })), { code: 'conflict', fields: { username: 'err_username_taken' } });
		await expectRefused(t.db, () => updateUser(t.db, admin, edit({ departmentId: '999999' })), { code: 'invalid', fields: { departmentId: 'err_department_not_found' } });
		await expectRefused(t.db, () => updateUser(t.db, admin, edit({ id: '999999' })), { code: 'not_found' });
	});

	it('keeps its own phone and username without calling them taken, and records only real changes', async () => {
		const auditBefore = (await t.db.select().from(auditLog)).length;
		expect(await updateUser(t.db, admin, edit())).toEqual({ changed: [] });
		expect((await t.db.select().from(auditLog)).length).toBe(auditBefore);

		const result = await updateUser(t.db, admin, edit({ name: '已改 乙', placeId: String(place('河东村')), roles: ['mediator', 'panelist'], panelistType: 'lawyer' }));
		expect(result.changed).toEqual(['name', 'placeId', 'roles']);
		const p = await getPerson(t.db, admin, id);
		expect(p).toMatchObject({ name: '已改 乙', place: { name: '河东村' } });
		expect(p.roles).toEqual([
			{ role: 'mediator', panelistType: null },
			{ role: 'panelist', panelistType: 'lawyer' }
		]);
		const [last] = await t.db.select().from(auditLog).orderBy(auditLog.id).then((rows) => rows.slice(-1));
		expect(last).toMatchObject({ action: 'user.update', subjectId: String(id), actorId: admin.id, data: { changed: ['name', 'placeId', 'roles'] } });
	});

	it('does not let an admin drop their own admin role', async () => {
		const self = { id: String(admin.id), name: admin.name, username: admin.username, phone: admin.phone, placeId: String(admin.place.id), departmentId: '', panelistType: '' };
		await expectRefused(t.db, () => updateUser(t.db, admin, { ...self, roles: ['supervisor'] }), { code: 'invalid', fields: { roles: 'err_admin_self_role' } });
	});
});

describe('disabling, enabling and resetting a password', () => {
	it('ends every session of the person in the same step, and the account cannot sign in', async () => {
		const target = await userId(t.db, 'agent');
		const one = await createSession(t.db, target);
		const two = await login(t.db, { login: 'agent', password: DEMO_PASSWORD, ip: '10.2.0.1' });
		expect(await validateSessionToken(t.db, one.token)).not.toBeNull();

		await disableUser(t.db, admin, target, { ip: '10.0.0.9' });
		expect(await validateSessionToken(t.db, one.token)).toBeNull();
		expect(await validateSessionToken(t.db, two.token)).toBeNull();
		expect((await outcome(login(t.db, { login: 'agent', password: DEMO_PASSWORD, ip: '10.2.0.1' }))).code).toBe('invalid_credentials');
		const [row] = await t.db.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, target));
		expect(row.disabledAt).toBeInstanceOf(Date);
		expect((await listPeople(t.db, admin, { q: '吴小红' })).items[0]).toMatchObject({ id: target, disabled: true });

		await enableUser(t.db, admin, target);
		expect((await outcome(login(t.db, { login: 'agent', password: DEMO_PASSWORD, ip: '10.2.0.1' }))).code).toBe('ok');
		const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'user'), eq(auditLog.subjectId, String(target)))).orderBy(asc(auditLog.id));
		// (auth.login rows name the user too.)
		expect(audit.map((a) => a.action).filter((a) => a.startsWith('user.'))).toEqual(['user.create', 'user.disable', 'user.enable']);
	});

	it('does not let an admin disable themselves', async () => {
		await expectRefused(t.db, () => disableUser(t.db, admin, admin.id), { code: 'invalid', fields: { _: 'err_admin_self_disable' } });
	});

	it('refuses a password under 12 characters and ends the sessions on a reset', async () => {
		const target = await userId(t.db, 'advisor');
		await expectRefused(t.db, () => resetPassword(t.db, admin, { id: target, password: 'elevenchars' }), {
			code: 'invalid',
			fields: { password: 'err_password_short' }
		});
		await expectRefused(t.db, () => resetPassword(t.db, admin, { id: target, password: '123456789012' }), {
			code: 'invalid',
			fields: { password: 'sec_password_common' }
		});
		const { token } = await createSession(t.db, target);
		await resetPassword(t.db, admin, { id: String(target), password: 'a-brand-new-password' });
		expect(await validateSessionToken(t.db, token)).toBeNull();
		expect((await outcome(login(t.db, { login: 'advisor', password: DEMO_PASSWORD, ip: '10.3.0.1' }))).code).toBe('invalid_credentials');
		expect((await outcome(login(t.db, { login: 'advisor', password: 'a-brand-new-password', ip: '10.3.0.1' }))).code).toBe('ok');
	});
});

describe('listing people', () => {
	it('pages and searches by name, username and phone, full-width digits included', async () => {
		// Enough people for two pages (inserted directly: password hashing is slow and beside the point).
		const placeId = place('燕坊村');
		const added = await t.db
			.insert(users)
			.values(Array.from({ length: 12 }, (_, i) => ({ name: `填充 ${i}`, username: `filler${i}`, passwordHash: 'x', placeId })))
			.returning({ id: users.id });
		await t.db.insert(userRoles).values(added.map(({ id }) => ({ userId: id, role: 'grid_worker' as const })));
		const all = await listPeople(t.db, admin, {});
		expect(all.total).toBeGreaterThan(20);
		expect(all.items).toHaveLength(20);
		expect(all.pages).toBe(Math.ceil(all.total / 20));
		const last = await listPeople(t.db, admin, { page: String(all.pages) });
		expect(last.items.length).toBe(all.total - 20 * (all.pages - 1));
		expect(new Set([...all.items, ...last.items].map((p) => p.id)).size).toBe(all.items.length + last.items.length);
		// A page past the end is the last page; a nonsense page is the first.
		expect((await listPeople(t.db, admin, { page: '9999' })).page).toBe(all.pages);
		expect((await listPeople(t.db, admin, { page: 'x' })).page).toBe(1);

		expect((await listPeople(t.db, admin, { q: '黄福生' })).items.map((p) => p.username)).toEqual(['panelist']);
		expect((await listPeople(t.db, admin, { q: 'TUBU.SUP' })).items.map((p) => p.username)).toEqual(['tubu.supervisor']);
		expect((await listPeople(t.db, admin, { q: '１３８００１３８００６' })).items.map((p) => p.username)).toEqual(['panelist']);
		// LIKE wildcards are plain characters.
		expect((await listPeople(t.db, admin, { q: '%' })).total).toBe(0);
	});

	it('is for admins only', async () => {
		expect((await outcome(listPeople(t.db, await viewer(t.db, 'supervisor'), {}))).code).toBe('forbidden');
	});
});

describe('concurrent creation of the same login', () => {
	it('gives the loser the same field error, never a database error', async () => {
		const db = await createTestDatabase('demo');
		try {
			const [place] = await db.db.select({ id: places.id }).from(places).limit(1);
			const person = { name: '同名', username: 'same.name', placeId: place.id, roles: ['mediator'], password: 'a-long-password-1' };
			const results = await Promise.allSettled([createUser(db.db, null, person), createUser(db.db, null, { ...person, name: '同名二' })]);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			expect(failure.reason).toBeInstanceOf(AppError);
			expect(failure.reason.fields).toEqual({ username: 'err_username_taken' });
		} finally {
			await db.destroy();
		}
	}, 240_000);
});
