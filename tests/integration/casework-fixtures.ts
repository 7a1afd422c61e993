import { count, eq } from 'drizzle-orm';
import { auditLog, caseAttachments, caseEvents, caseParties, cases, places, userRoles, users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import type { RoleName, Viewer } from '../../src/lib/types';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { codedRefusalOf } from '../support/app-error';

/** Shared set-up for the casework tests: the demo county plus a mediator in 艾城镇 and one in 城南村. */
export interface Casework {
	t: TestDatabase;
	viewers: Record<string, Viewer>;
	placeIds: Record<string, number>;
	placePaths: Record<string, string>;
}

async function addUser(t: TestDatabase, username: string, place: number, roles: RoleName[]): Promise<number> {
	const [u] = await t.db.insert(users).values({ name: `测试 ${username}`, username, passwordHash: 'unused', placeId: place }).returning({ id: users.id });
	await t.db.insert(userRoles).values(roles.map((role) => ({ userId: u.id, role })));
	return u.id;
}

export async function setUpCasework(): Promise<Casework> {
	const t = await createTestDatabase('demo');
	const placeIds: Record<string, number> = {};
	const placePaths: Record<string, string> = {};
	for (const p of await t.db.select({ id: places.id, name: places.name, path: places.path }).from(places)) {
		placeIds[p.name] = p.id;
		placePaths[p.name] = p.path;
	}
	await addUser(t, 'aicheng.mediator', placeIds['艾城镇'], ['mediator']);
	await addUser(t, 'chengnan.mediator', placeIds['城南村'], ['mediator']);
	const viewers: Record<string, Viewer> = {};
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) viewers[u.username!] = (await loadViewer(t.db, u.id))!;
	return { t, viewers, placeIds, placePaths };
}

export function newCase(placeIds: Record<string, number>, patch: Record<string, unknown> = {}) {
	return {
		channel: 'walk_in',
		categoryId: 3,
		placeId: placeIds['城南村'],
		title: '宅基地边界纠纷',
		description: '孙大伯与邻居因宅基地边界的围墙发生争执。',
		parties: [
			{ side: 'applicant', name: '孙大伯', phone: '13907920011', idNumber: '11010519491231002X', address: '城南村三组' },
			{ side: 'respondent', name: '李某', phone: '13907920022' }
		],
		...patch
	};
}

export async function rowCounts(t: TestDatabase) {
	const n = async (table: typeof cases | typeof caseParties | typeof caseEvents | typeof auditLog | typeof caseAttachments) => {
		const [{ n }] = await t.db.select({ n: count() }).from(table);
		return n;
	};
	return { cases: await n(cases), parties: await n(caseParties), events: await n(caseEvents), audit: await n(auditLog), attachments: await n(caseAttachments) };
}

/** 'ok', or the AppError's code, or (for invalid/conflict) its code and fields. */
export const outcome = codedRefusalOf;

export async function statusOf(t: TestDatabase, id: number) {
	const [row] = await t.db.select().from(cases).where(eq(cases.id, id));
	return row;
}
