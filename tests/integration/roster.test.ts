import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHINA_CALENDAR } from '../../src/lib/server/cases/holidays';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { auditLog, caseCategories, cases, departments, dutyRoster, places } from '../../src/lib/server/db/schema';
import { addRosterEntry } from '../../src/lib/server/roster/add-roster-entry';
import { loadRoster } from '../../src/lib/server/roster/load-roster';
import { removeRosterEntry } from '../../src/lib/server/roster/remove-roster-entry';
import { routeToDuty } from '../../src/lib/server/roster/route-to-duty';
import { sittingAt } from '../../src/lib/server/roster/rules';
import { monthDays, shiftMonth } from '../../src/lib/utils/roster-calendar';
import { outcome, SEED_TIMEOUT, seedAdminWorld, viewer } from '../support/admin-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** Issue 13 part 2: the joint reception roster (联合接访), its keepers, gaps and routing to the department on duty. */
let t: TestDatabase;
let dept: (name: string) => number;

beforeAll(async () => {
	t = await createTestDatabase('demo');
	await seedAdminWorld(t.db);
	const rows = await t.db.select({ id: departments.id, name: departments.name }).from(departments);
	dept = (name) => rows.find((d) => d.name === name)!.id;
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

const rosterRows = async () => (await t.db.select({ n: count() }).from(dutyRoster))[0].n;
const auditRows = async (action: string) => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0].n;
const today = () => shanghaiDate(new Date());

describe('the demo roster', () => {
	it('covers the current month and leaves exactly the first working day of the next month uncovered', async () => {
		const county = await viewer(t.db, 'county.supervisor');
		const month = today().slice(0, 7);
		expect((await loadRoster(t.db, county, month)).gaps).toEqual([]);
		const next = await loadRoster(t.db, county, shiftMonth(month, 1));
		const first = monthDays(shiftMonth(month, 1)).find((d) => CHINA_CALENDAR.isWorkingDay(d))!;
		expect(next.gaps).toEqual([
			{ date: first, halfDay: 'am' },
			{ date: first, halfDay: 'pm' }
		]);
	});
});

describe('who keeps and who sees the roster', () => {
	const entry = (date: string, halfDay = 'am', department = '县自然资源局', staffNames = '李𠮷 、王五') => ({ departmentId: String(dept(department)), dutyDate: date, halfDay, staffNames });

	it('a county admin adds a sitting, stored exactly, with its audit row', async () => {
		const admin = await viewer(t.db, 'admin');
		const before = await auditRows('roster.add');
		const { id } = await addRosterEntry(t.db, admin, entry(today(), 'am', '县自然资源局', ' 李𠮷、王五 '));
		const [row] = await t.db.select().from(dutyRoster).where(eq(dutyRoster.id, id));
		expect(row).toMatchObject({ staffNames: '李𠮷、王五', dutyDate: today(), halfDay: 'am', createdById: admin.id });
		expect(await auditRows('roster.add')).toBe(before + 1);
		const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'roster.add'), eq(auditLog.subjectId, String(id))));
		expect(audit.data).toMatchObject({ staffNames: '李𠮷、王五', halfDay: 'am' });
	});

	it('refuses a second sitting of the same department and half-day, bad dates and empty names, writing nothing', async () => {
		const admin = await viewer(t.db, 'admin');
		const [rows, audits] = [await rosterRows(), await auditRows('roster.add')];
		expect(await outcome(addRosterEntry(t.db, admin, entry(today())))).toEqual({ code: 'conflict', fields: { departmentId: 'ct_err_roster_taken' } });
		expect((await outcome(addRosterEntry(t.db, admin, entry('2026-02-30')))).fields).toEqual({ dutyDate: 'err_date_invalid' });
		expect((await outcome(addRosterEntry(t.db, admin, entry('2099-01-01')))).fields).toEqual({ dutyDate: 'ct_err_roster_date_range' });
		expect((await outcome(addRosterEntry(t.db, admin, entry(today(), 'night')))).fields).toHaveProperty('halfDay');
		expect((await outcome(addRosterEntry(t.db, admin, entry(today(), 'pm', '县自然资源局', '   ')))).fields).toEqual({ staffNames: 'err_required' });
		expect((await outcome(addRosterEntry(t.db, admin, entry(today(), 'pm', '县自然资源局', '名'.repeat(201))))).fields).toEqual({ staffNames: 'err_too_long' });
		expect((await outcome(addRosterEntry(t.db, admin, { ...entry(today(), 'pm'), departmentId: '999999' }))).fields).toEqual({ departmentId: 'err_department_not_found' });
		expect([await rosterRows(), await auditRows('roster.add')]).toEqual([rows, audits]);
	});

	it('refuses keepers who are not county admins, and viewers outside the county level', async () => {
		for (const username of ['county.supervisor', 'supervisor', 'tubu.admin', 'chengnan.admin']) {
			expect((await outcome(addRosterEntry(t.db, await viewer(t.db, username), entry(today(), 'pm')))).code).toBe('forbidden');
		}
		const [any] = await t.db.select({ id: dutyRoster.id }).from(dutyRoster).limit(1);
		for (const username of ['county.supervisor', 'tubu.admin']) {
			expect((await outcome(removeRosterEntry(t.db, await viewer(t.db, username), any.id))).code).toBe('forbidden');
		}
		for (const username of ['tubu.supervisor', 'tubu.admin', 'mediator', 'villager', 'party']) {
			expect((await outcome(loadRoster(t.db, await viewer(t.db, username), today().slice(0, 7)))).code).toBe('forbidden');
		}
	});

	it('keeps the sitting when its audit row cannot be written (one transaction)', async () => {
		await t.db.execute(sql`create function test_refuse_roster_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`);
		await t.db.execute(sql`create trigger test_refuse_roster_audit before insert on audit_log for each row when (new.action like 'roster.%') execute function test_refuse_roster_audit()`);
		const admin = await viewer(t.db, 'admin');
		const rows = await rosterRows();
		await expect(addRosterEntry(t.db, admin, entry(today(), 'pm', '县自然资源局'))).rejects.toThrow();
		const [any] = await t.db.select({ id: dutyRoster.id }).from(dutyRoster).limit(1);
		await expect(removeRosterEntry(t.db, admin, any.id)).rejects.toThrow();
		expect(await rosterRows()).toBe(rows);
		await t.db.execute(sql`drop trigger test_refuse_roster_audit on audit_log`);
		await t.db.execute(sql`drop function test_refuse_roster_audit()`);
	});

	it('removes a sitting with its audit row; an unknown id is not found', async () => {
		const admin = await viewer(t.db, 'admin');
		const { id } = await addRosterEntry(t.db, admin, entry(today(), 'pm', '县自然资源局'));
		await removeRosterEntry(t.db, admin, id);
		expect(await t.db.select().from(dutyRoster).where(eq(dutyRoster.id, id))).toEqual([]);
		const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'roster.remove'), eq(auditLog.subjectId, String(id))));
		expect(audit.data).toMatchObject({ departmentId: dept('县自然资源局'), halfDay: 'pm' });
		expect((await outcome(removeRosterEntry(t.db, admin, id))).code).toBe('not_found');
		expect((await outcome(removeRosterEntry(t.db, admin, 'x'))).code).toBe('not_found');
	});
});

describe('routing a walk-in to the department on duty', () => {
	let caseId: number;
	let onDutyId: number;
	const now = new Date();

	beforeAll(async () => {
		const county = await viewer(t.db, 'county.supervisor');
		const [place] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '王家村'));
		const [category] = await t.db.select({ id: caseCategories.id }).from(caseCategories).limit(1);
		({ id: caseId } = await fileCase(t.db, county, {
			channel: 'walk_in',
			categoryId: category.id,
			placeId: place.id,
			title: '来访：工资拖欠',
			description: '来访人称工地拖欠三个月工资。',
			parties: [{ side: 'applicant', name: '𡈼大姐', phone: '13907920077' }]
		}));
		const sitting = sittingAt(now);
		// Whatever the seed has now, 县自然资源局 is on duty for this test's sitting.
		await addRosterEntry(t.db, await viewer(t.db, 'admin'), { departmentId: String(dept('县自然资源局')), dutyDate: sitting.date, halfDay: sitting.halfDay, staffNames: '值班员' }, { now }).catch(() => {});
		onDutyId = dept('县自然资源局');
	});

	it('shows the walk-in and the department on duty at the intake', async () => {
		const view = await loadRoster(t.db, await viewer(t.db, 'county.supervisor'), today().slice(0, 7), { now });
		expect(view.walkIns.map((c) => c.id)).toContain(caseId);
		expect(view.onDuty.map((e) => e.departmentId)).toContain(onDutyId);
	});

	it('refuses a department not on duty, someone the transition rules do not allow, and cases elsewhere', async () => {
		const county = await viewer(t.db, 'county.supervisor');
		const view = await loadRoster(t.db, county, today().slice(0, 7), { now });
		// The seed puts one department per sitting, so one of these three is off duty now.
		const notOnDuty = [dept('县信访局'), dept('县司法局'), dept('县民政局')].find((id) => !view.onDuty.some((e) => e.departmentId === id))!;
		expect(await outcome(routeToDuty(t.db, county, { caseId, departmentId: String(notOnDuty) }, { now }))).toEqual({ code: 'invalid', fields: { departmentId: 'ct_err_not_on_duty' } });
		// The county admin sees the roster but no cases: the transition's own lookup refuses.
		expect((await outcome(routeToDuty(t.db, await viewer(t.db, 'admin'), { caseId, departmentId: String(onDutyId) }, { now }))).code).toBe('not_found');
		expect((await outcome(routeToDuty(t.db, await viewer(t.db, 'tubu.supervisor'), { caseId, departmentId: String(onDutyId) }, { now }))).code).toBe('forbidden');
		const [village] = await t.db.select({ id: cases.id }).from(cases).where(sql`${cases.id} <> ${caseId}`).limit(1);
		expect((await outcome(routeToDuty(t.db, county, { caseId: village.id, departmentId: String(onDutyId) }, { now }))).code).toBe('not_found');
		const [row] = await t.db.select({ status: cases.status, departmentId: cases.departmentId }).from(cases).where(eq(cases.id, caseId));
		expect(row).toEqual({ status: 'registered', departmentId: null });
	});

	it('leaves the matter registered when the routing step fails after the acceptance (one transaction)', async () => {
		await t.db.execute(sql`create function test_refuse_routing() returns trigger language plpgsql as $$ begin raise exception 'routing refused'; end $$`);
		await t.db.execute(sql`create trigger test_refuse_routing before update on cases for each row when (new.department_id is not null) execute function test_refuse_routing()`);
		const before = await auditRows('case.transition');
		await expect(routeToDuty(t.db, await viewer(t.db, 'county.supervisor'), { caseId, departmentId: String(onDutyId) }, { now })).rejects.toThrow();
		await t.db.execute(sql`drop trigger test_refuse_routing on cases`);
		await t.db.execute(sql`drop function test_refuse_routing()`);
		const [row] = await t.db.select({ status: cases.status, departmentId: cases.departmentId }).from(cases).where(eq(cases.id, caseId));
		expect(row).toEqual({ status: 'registered', departmentId: null });
		expect(await auditRows('case.transition')).toBe(before);
	});

	it('accepts and routes in one action through the ordinary transitions, with their audit rows', async () => {
		const county = await viewer(t.db, 'county.supervisor');
		const before = await auditRows('case.transition');
		expect(await routeToDuty(t.db, county, { caseId, departmentId: String(onDutyId) }, { now })).toMatchObject({ transition: 'assign', to: 'assigned' });
		const [row] = await t.db.select({ status: cases.status, departmentId: cases.departmentId }).from(cases).where(eq(cases.id, caseId));
		expect(row).toEqual({ status: 'assigned', departmentId: onDutyId });
		expect(await auditRows('case.transition')).toBe(before + 2);
		// Routed matters leave the intake list.
		expect((await loadRoster(t.db, county, today().slice(0, 7), { now })).walkIns.map((c) => c.id)).not.toContain(caseId);
	});
});
