import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoverage } from '../../src/lib/server/coverage/load-coverage';
import { cases, mediationSessions, panelMembers, panelOpinions, sessionAttendance, users } from '../../src/lib/server/db/schema';
import { DEMO_COVERAGE_GAP_VILLAGE } from '../../src/lib/server/seed/demo-coverage';
import { outcome, SEED_TIMEOUT, seedAdminWorld, userId, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** Issue 13 part 5: 一村一法律明白人、一乡一法律顾问 coverage, its scope and how participation is counted. */
let t: TestDatabase;

beforeAll(async () => {
	t = await createTestDatabase('demo');
	await seedAdminWorld(t.db);
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

const coverageOf = async (username: string) => loadCoverage(t.db, await viewer(t.db, username));

describe('the demo county', () => {
	it('has exactly one gap: 王家村 without a 法律明白人', async () => {
		const c = await coverageOf('county.supervisor');
		expect(c.townships.map((x) => x.name)).toEqual(['涂埠镇', '虬津镇', '艾城镇']);
		expect(c.townships.flatMap((x) => x.villages)).toHaveLength(7);
		expect(c.gaps).toEqual({ townships: [], villages: [expect.objectContaining({ name: DEMO_COVERAGE_GAP_VILLAGE, township: '艾城镇' })] });
		const qiujin = c.townships.find((x) => x.name === '虬津镇')!;
		expect(qiujin.villages.find((v) => v.name === '张公渡村')!.villagers.map((p) => p.name)).toEqual(['法律明白人 𠮷祥']);
	});
});

describe('who sees it', () => {
	it('a township supervisor or admin sees only their township', async () => {
		for (const username of ['tubu.supervisor', 'tubu.admin']) {
			const c = await coverageOf(username);
			expect(c.townships.map((x) => x.name)).toEqual(['涂埠镇']);
			expect(c.gaps).toEqual({ townships: [], villages: [] });
		}
	});

	it('the county admin and a county department supervisor see the county', async () => {
		for (const username of ['admin', 'supervisor']) expect((await coverageOf(username)).townships).toHaveLength(3);
	});

	it('refuses village staff, village admins and people without the role', async () => {
		for (const username of ['chengnan.admin', 'qiujin.admin', 'villager', 'mediator', 'advisor', 'party', 'grid']) {
			expect(await outcome(coverageOf(username))).toEqual({ code: 'forbidden', fields: {} });
		}
	});
});

describe('matters taken part in', () => {
	it('counts each case once across panel seats, attendance and opinions, and not a removed seat', async () => {
		const villager = await userId(t.db, 'qiujin.villager');
		const advisor = await userId(t.db, 'advisor');
		const mediator = await userId(t.db, 'mediator');
		const [session] = await t.db.select({ id: mediationSessions.id, caseId: mediationSessions.caseId }).from(mediationSessions).limit(1);
		const other = (await t.db.select({ id: cases.id }).from(cases)).find((c) => c.id !== session.caseId)!;
		const seat = (caseId: number, userId: number, removed = false) =>
			t.db
				.insert(panelMembers)
				.values({ caseId, userId, memberType: 'legal_villager', invitedById: mediator, invitedAt: new Date(), partiesConsent: '双方同意', removedAt: removed ? new Date() : null, removedReason: removed ? '回避' : null })
				.returning({ id: panelMembers.id });
		const before = await coverageOf('county.supervisor');
		const count = (c: typeof before, name: string) => c.townships.flatMap((x) => [...x.advisers, ...x.villages.flatMap((v) => v.villagers)]).find((p) => p.name === name)!.matters;
		expect(count(before, '法律明白人 杨春')).toBe(0);

		// Seat, attendance and opinion on one case: one matter.
		const [m] = await seat(session.caseId, villager);
		await t.db.insert(sessionAttendance).values({ sessionId: session.id, userId: villager, name: '杨春', capacity: 'panelist', remote: false, joinedAt: new Date() });
		await t.db.insert(panelOpinions).values({ caseId: session.caseId, memberId: m.id, userId: villager, position: 'compromise', reasons: '各让一步', submittedAt: new Date(), updatedAt: new Date() });
		// A seat on a second case: two matters.
		await seat(other.id, villager);
		// The adviser's only seat was taken away: no matter.
		await seat(other.id, advisor, true);

		const after = await coverageOf('county.supervisor');
		expect(count(after, '法律明白人 杨春')).toBe(2);
		expect(count(after, '法律顾问 李律师')).toBe(0);
	});

	it('a disabled account leaves its place uncovered', async () => {
		await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.username, 'advisor'));
		const c = await coverageOf('county.supervisor');
		expect(c.gaps.townships.map((x) => x.name)).toEqual(['涂埠镇']);
		await t.db.update(users).set({ disabledAt: null }).where(eq(users.username, 'advisor'));
	});
});
