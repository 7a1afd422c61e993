import { count, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { auditLog, departments, places, sessions, userRoles, users } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/people/create-user';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { DEMO_PASSWORD, seedDemo } from '../../src/lib/server/seed/demo';
import type { RoleName, Viewer } from '../../src/lib/types';
import { appErrorOf } from './app-error';

/** Seeding hashes a dozen passwords with argon2id: slow on a busy machine, so its hook gets longer. */
export const SEED_TIMEOUT = 240_000;

/**
 * The demo county plus the admins it lacks: one per level, so scope rules can be tried from below.
 * Phones are in the 13900139xxx range, away from the demo accounts.
 */
export async function seedAdminWorld(db: Db) {
	await seedDemo(db, { onlyIfEmpty: true });
	const placeRows = await db.select({ id: places.id, name: places.name }).from(places);
	const place = (name: string) => {
		const row = placeRows.find((p) => p.name === name);
		if (!row) throw new Error(`no place ${name}`);
		return row.id;
	};
	const extra: [string, string, string, RoleName[]][] = [
		['chengnan.admin', '13900139001', '城南村', ['admin']],
		['tubu.admin', '13900139002', '涂埠镇', ['admin']],
		['qiujin.admin', '13900139003', '虬津村', ['admin']]
	];
	for (const [username, phone, at, roles] of extra) {
		await createUser(db, null, { name: `管理员 ${username}`, username, phone, placeId: place(at), roles, password: DEMO_PASSWORD });
	}
	const [dept] = await db.select({ id: departments.id }).from(departments).where(eq(departments.name, '县信访局'));
	return { place, departmentId: dept.id };
}

export async function userId(db: Db, username: string): Promise<number> {
	const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
	if (!row) throw new Error(`no user ${username}`);
	return row.id;
}

export async function viewer(db: Db, username: string): Promise<Viewer> {
	const v = await loadViewer(db, await userId(db, username));
	if (!v) throw new Error(`${username} cannot sign in`);
	return v;
}

/** Row counts of everything an admin action could write. */
export async function snapshot(db: Db) {
	const n = async (table: typeof users | typeof userRoles | typeof places | typeof departments | typeof auditLog | typeof sessions) =>
		(await db.select({ n: count() }).from(table))[0].n;
	const [people, roles, placeCount, deptCount, audit, sessionCount] = await Promise.all([
		n(users),
		n(userRoles),
		n(places),
		n(departments),
		n(auditLog),
		n(sessions)
	]);
	const userRows = await db.select().from(users).orderBy(users.id);
	const placeRows = await db.select().from(places).orderBy(places.id);
	return { people, roles, places: placeCount, departments: deptCount, audit, sessions: sessionCount, userRows, placeRows };
}

/** What a use case threw: the AppError's code and field keys, or 'ok'. */
export const outcome = appErrorOf;

/** Runs an action that must be refused, and checks that nothing at all was written. */
export async function expectRefused(db: Db, action: () => Promise<unknown>, expected: { code: string; fields?: Record<string, string> }) {
	const before = await snapshot(db);
	const result = await outcome(action());
	expect(result.code).toBe(expected.code);
	if (expected.fields) expect(result.fields).toEqual(expected.fields);
	expect(await snapshot(db)).toEqual(before);
	return result;
}
