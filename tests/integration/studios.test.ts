import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../../src/lib/server/cases/permissions';
import { caseActorOf } from '../../src/lib/server/cases/states';
import { loadSnapshot, loadVisibleCase } from '../../src/lib/server/cases/work/case-snapshot';
import { auditLog, caseEvents, cases, places, studios, users } from '../../src/lib/server/db/schema';
import { loadMediationCase } from '../../src/lib/server/cases/access';
import { assignToStudio } from '../../src/lib/server/studios/assign-to-studio';
import { addStudioMember, createStudio } from '../../src/lib/server/studios/keep-studio';
import { listStudios, loadStudio } from '../../src/lib/server/studios/load-studios';
import { compareStudios } from '../../src/lib/server/studios/compare-studios';
import { outcome, SEED_TIMEOUT, seedAdminWorld, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** Issue 13 part 1: named mediation studios, giving them matters, and their members acting as mediators. */
let t: TestDatabase;
let studioId: (name: string) => number;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedAdminWorld(t.db);
	const rows = await t.db.select({ id: studios.id, name: studios.name }).from(studios);
	studioId = (name) => rows.find((s) => s.name.startsWith(name))!.id;
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

const auditRows = async (action: string) => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0].n;

let made = 0;
/** An open matter of a township not yet with a studio (one made from a demo matter when it has none). */
async function openCaseIn(township: string): Promise<number> {
	const [place] = await t.db.select({ id: places.id, path: places.path }).from(places).where(eq(places.name, township));
	const [row] = await t.db
		.select({ id: cases.id })
		.from(cases)
		.where(and(eq(cases.townshipId, place.id), isNull(cases.studioId), inArray(cases.status, ['accepted', 'assigned', 'in_mediation'])))
		.limit(1);
	if (row) return row.id;
	const [template] = await t.db.select().from(cases).where(eq(cases.status, 'accepted')).limit(1);
	const { id: _id, number: _n, studioId: _s, studioAssignedAt: _a, ...rest } = template;
	const [copy] = await t.db
		.insert(cases)
		.values({ ...rest, number: `2026-9${String(++made).padStart(5, '0')}`, townshipId: place.id, villageId: null, placeId: place.id, placePath: place.path })
		.returning({ id: cases.id });
	return copy.id;
}

describe('the demo studios', () => {
	it('has both named studios with their matters and figures', async () => {
		const list = await listStudios(t.db, await viewer(t.db, 'county.supervisor'));
		expect(list.studios.map((s) => s.name)).toEqual(['徐云峰矛盾纠纷调解工作室', '王新望矛盾纠纷调解工作室']);
		for (const s of list.studios) expect(s.figures.caseload).toBeGreaterThan(0);
		expect(list.mayKeep).toBe(false);
	});
});

describe('giving a matter to a studio', () => {
	it('lets a county supervisor give a township matter to the county studio; its members then act as mediators', async () => {
		const caseId = await openCaseIn('虬津镇');
		const wang = await viewer(t.db, 'wang.mediator');
		// Before: a 涂埠镇 mediator outside the studio does not even see a 虬津镇 matter.
		expect((await outcome(loadVisibleCase(t.db, await viewer(t.db, 'mediator'), caseId))).code).toBe('not_found');
		const before = await auditRows('studio.assign');
		await assignToStudio(t.db, await viewer(t.db, 'county.supervisor'), { caseRef: String(caseId), studioId: String(studioId('徐云峰')) });
		const [row] = await t.db.select({ studioId: cases.studioId, at: cases.studioAssignedAt }).from(cases).where(eq(cases.id, caseId));
		expect(row.studioId).toBe(studioId('徐云峰'));
		expect(row.at).not.toBeNull();
		expect(await auditRows('studio.assign')).toBe(before + 1);
		const events = await t.db.select({ note: caseEvents.note }).from(caseEvents).where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, 'studio_assign')));
		expect(events).toEqual([{ note: '徐云峰矛盾纠纷调解工作室' }]);

		// 王秀英 (the `mediator`, 涂埠镇) is a member of 徐云峰's studio: she now sees and runs it.
		const member = await viewer(t.db, 'mediator');
		const found = await loadMediationCase(t.db, member, caseId, 'run');
		const snapshot = await loadSnapshot(t.db, found);
		expect(authorize(snapshot, caseActorOf(member), 'conclude')).toMatchObject({ ok: true, scope: 'studio_member' });
		// 王新望 (涂埠镇) is not a member: the matter stays out of sight.
		expect((await outcome(loadMediationCase(t.db, wang, caseId, 'see'))).code).toBe('not_found');
		// Nor may a member act beyond the mediator's transitions.
		expect(authorize(snapshot, caseActorOf(member), 'archive').ok).toBe(false);
		// The studio page lists it for the member.
		const page = await loadStudio(t.db, member, studioId('徐云峰'));
		expect(page.matters.map((c) => c.id)).toContain(caseId);
	});

	it('refuses a township supervisor a matter of another township, and a township studio a matter outside it', async () => {
		const tubu = await viewer(t.db, 'tubu.supervisor');
		const qiujinCase = await openCaseIn('虬津镇');
		expect(await outcome(assignToStudio(t.db, tubu, { caseRef: String(qiujinCase), studioId: String(studioId('王新望')) }))).toMatchObject({
			code: 'invalid',
			fields: { caseRef: 'sd_err_case_not_found' }
		});
		const county = await viewer(t.db, 'county.supervisor');
		expect((await outcome(assignToStudio(t.db, county, { caseRef: String(qiujinCase), studioId: String(studioId('王新望')) }))).code).toBe('forbidden');
		const [row] = await t.db.select({ studioId: cases.studioId }).from(cases).where(eq(cases.id, qiujinCase));
		expect(row.studioId).toBeNull();
	});

	it('refuses mediators, department staff and administrators', async () => {
		const caseId = await openCaseIn('涂埠镇');
		for (const who of ['mediator', 'supervisor', 'admin']) {
			expect((await outcome(assignToStudio(t.db, await viewer(t.db, who), { caseRef: String(caseId), studioId: String(studioId('王新望')) }))).code).toBe('forbidden');
		}
	});
});

describe('keeping studios', () => {
	it('lets the county administrator set one up (lead a member) and refuses others and non-mediators', async () => {
		const admin = await viewer(t.db, 'admin');
		const [lead] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, 'wang.mediator'));
		const [advisor] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, 'advisor'));
		const [county] = await t.db.select({ id: places.id }).from(places).where(eq(places.kind, 'county'));
		const input = { name: '𠮷祥调解工作室', placeId: String(county.id), leadId: String(lead.id), method: '以和为贵', intake: '积案' };
		expect((await outcome(createStudio(t.db, await viewer(t.db, 'tubu.admin'), input))).code).toBe('forbidden');
		expect(await outcome(createStudio(t.db, admin, { ...input, leadId: String(advisor.id) }))).toMatchObject({ code: 'invalid', fields: { leadId: 'sd_err_not_mediator' } });
		const { id } = await createStudio(t.db, admin, input);
		const page = await loadStudio(t.db, admin, id);
		expect(page.studio.name).toBe('𠮷祥调解工作室');
		expect(page.members.map((p) => p.id)).toEqual([lead.id]);
		expect((await outcome(addStudioMember(t.db, admin, id, String(advisor.id)))).code).toBe('invalid');
		expect((await outcome(addStudioMember(t.db, await viewer(t.db, 'county.supervisor'), id, String(lead.id)))).code).toBe('forbidden');
	});

	it('hides a township studio from another township', async () => {
		const qiujin = await viewer(t.db, 'qiujin.admin');
		expect((await outcome(loadStudio(t.db, qiujin, studioId('王新望')))).code).toBe('not_found');
	});
});

describe('the statistics by studio', () => {
	const all = { from: '2000-01-01', to: '2099-12-31' };

	it('gives each studio the figures of its page, for all time and for a period, by the same code', async () => {
		const county = await viewer(t.db, 'county.supervisor');
		const rows = (await compareStudios(t.db, county, { period: all, placeId: null })).filter((r) => r.id === studioId('徐云峰') || r.id === studioId('王新望'));
		expect(rows.map((r) => r.name)).toEqual(['徐云峰矛盾纠纷调解工作室', '王新望矛盾纠纷调解工作室']);
		const list = await listStudios(t.db, county);
		for (const r of rows) {
			// A period covering every date counts what the all-time page counts.
			expect(r.figures).toEqual(list.studios.find((s) => s.id === r.id)!.figures);
			expect(r.figures.caseload).toBeGreaterThan(0);
		}
		// A period long before any studio existed: nothing given, nothing resolved, nothing to divide by.
		const empty = await compareStudios(t.db, county, { period: { from: '2001-01-01', to: '2001-12-31' }, placeId: null });
		expect(empty[0].figures).toMatchObject({ caseload: 0, resolved: 0, resolvedShare: null, averageDays: null, agreementsInForce: 0, visits: 0 });
		const page = await loadStudio(t.db, county, rows[0].id, { period: { from: '2001-01-01', to: '2001-12-31' } });
		expect(page.figures).toEqual(empty[0].figures);
	});

	it('counts a matter in the period it was given to the studio', async () => {
		const county = await viewer(t.db, 'county.supervisor');
		const caseId = await openCaseIn('虬津镇');
		await assignToStudio(t.db, county, { caseRef: caseId, studioId: studioId('徐云峰') }, { now: new Date('2031-05-10T04:00:00Z') });
		const may = await compareStudios(t.db, county, { period: { from: '2031-05-01', to: '2031-05-31' }, placeId: null });
		expect(may.find((r) => r.id === studioId('徐云峰'))!.figures).toMatchObject({ caseload: 1, open: 1 });
		expect(may.find((r) => r.id === studioId('王新望'))!.figures.caseload).toBe(0);
	});

	it('shows a place only the studios on its line, and refuses a place outside the area and people without statistics', async () => {
		const names = (rows: { name: string }[]) => rows.map((r) => r.name).filter((n) => n.startsWith('徐云峰') || n.startsWith('王新望'));
		const [tubu] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '涂埠镇'));
		const [qiujin] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '虬津镇'));
		const township = await viewer(t.db, 'tubu.supervisor');
		expect(names(await compareStudios(t.db, township, { period: all, placeId: null }))).toEqual(['徐云峰矛盾纠纷调解工作室', '王新望矛盾纠纷调解工作室']);
		expect((await outcome(compareStudios(t.db, township, { period: all, placeId: qiujin.id }))).code).toBe('not_found');
		const county = await viewer(t.db, 'county.supervisor');
		// 虬津镇 is served by the county's studio, not by 涂埠镇's.
		expect(names(await compareStudios(t.db, county, { period: all, placeId: qiujin.id }))).toEqual(['徐云峰矛盾纠纷调解工作室']);
		expect(names(await compareStudios(t.db, county, { period: all, placeId: tubu.id }))).toEqual(['徐云峰矛盾纠纷调解工作室', '王新望矛盾纠纷调解工作室']);
		expect((await outcome(compareStudios(t.db, await viewer(t.db, 'mediator'), { period: all, placeId: null }))).code).toBe('forbidden');
	});
});
