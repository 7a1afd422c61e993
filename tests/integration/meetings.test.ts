import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { addDays, shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { auditLog, caseCategories, cases, coordinationMeetings, departments, meetingActions, places } from '../../src/lib/server/db/schema';
import { addAction } from '../../src/lib/server/meetings/add-action';
import { completeAction } from '../../src/lib/server/meetings/complete-action';
import { downloadMinutes } from '../../src/lib/server/meetings/download-minutes';
import { getMeeting } from '../../src/lib/server/meetings/get-meeting';
import { holdMeeting } from '../../src/lib/server/meetings/hold-meeting';
import { countOverdueActions, listMeetings } from '../../src/lib/server/meetings/list-meetings';
import { listMyActions } from '../../src/lib/server/meetings/list-my-actions';
import { proposeAgenda } from '../../src/lib/server/meetings/propose-agenda';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import { outcome, SEED_TIMEOUT, seedAdminWorld, viewer } from '../support/admin-fixtures';
import { pdfText } from '../support/pdf-read';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** Issue 13 part 3: meetings on stalled matters, their proposed agenda, tracked decisions and minutes. */
let t: TestDatabase;
let dept: (name: string) => string;
let caseOf: (title: string) => Promise<number>;
let qiujinCase: number;

const auditRows = async (action: string) => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0].n;
const today = () => shanghaiDate(new Date());
const localNow = () => `${today()}T${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(11, 16)}`;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedAdminWorld(t.db);
	const rows = await t.db.select({ id: departments.id, name: departments.name }).from(departments);
	dept = (name) => String(rows.find((d) => d.name === name)!.id);
	caseOf = async (title) => (await t.db.select({ id: cases.id }).from(cases).where(eq(cases.title, title)))[0].id;
	// A matter of 虬津镇, passed on twice (routed to a department, then escalated to the county).
	const county = await viewer(t.db, 'county.supervisor');
	const [village] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '虬津村'));
	const [category] = await t.db.select({ id: caseCategories.id }).from(caseCategories).limit(1);
	({ id: qiujinCase } = await fileCase(t.db, county, {
		channel: 'phone',
		categoryId: category.id,
		placeId: village.id,
		title: '渠道清淤费用分摊（多次转办）',
		description: '两个村民小组对渠道清淤费用分摊有争议。',
		parties: [{ side: 'applicant', name: '𠮷大爷', phone: '13907920088' }]
	}));
	await transitionCase(t.db, county, qiujinCase, { type: 'accept' });
	await transitionCase(t.db, county, qiujinCase, { type: 'assign', departmentId: Number(dept('县自然资源局')) });
	await transitionCase(t.db, county, qiujinCase, { type: 'assign', departmentId: Number(dept('县住房和城乡建设局')) });
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

describe('the demo meeting', () => {
	it('tracks the unpaid wages matter with one decision done and one overdue, owned by the mediator', async () => {
		const tubu = await viewer(t.db, 'tubu.supervisor');
		const list = await listMeetings(t.db, tubu);
		expect(list.meetings).toHaveLength(1);
		expect(list.tracked.map((m) => m.title)).toEqual(['拖欠装修工人工资']);
		expect(list.overdue.map((a) => a.ownerName)).toEqual(['调解员 王秀英']);
		expect(await countOverdueActions(t.db, tubu)).toBe(1);
		expect(await countOverdueActions(t.db, await viewer(t.db, 'county.supervisor'))).toBe(1);
		const mine = await listMyActions(t.db, await viewer(t.db, 'mediator'));
		expect(mine.map((a) => [a.caseTitle, a.overdue])).toEqual([['拖欠装修工人工资', true]]);
		expect(await listMyActions(t.db, await viewer(t.db, 'villager'))).toEqual([]);
	});

	it('proposes the stalled matters not yet taken up, with their reasons', async () => {
		const proposals = await proposeAgenda(t.db, await viewer(t.db, 'tubu.supervisor'));
		const titles = proposals.map((p) => p.title);
		expect(titles).toContain('养殖场异味扰民');
		expect(proposals.find((p) => p.title === '养殖场异味扰民')!.reasons).toContain('overdue');
		expect(titles).not.toContain('拖欠装修工人工资');
		// Another township's matter is not the township supervisor's to propose; the county's sees it, passed on twice.
		expect(titles).not.toContain('渠道清淤费用分摊（多次转办）');
		const county = await proposeAgenda(t.db, await viewer(t.db, 'county.supervisor'));
		expect(county.find((p) => p.id === qiujinCase)).toMatchObject({ passedOn: 2, reasons: ['passed_on'] });
	});
});

describe('holding a meeting', () => {
	const form = (caseIds: (number | string)[], extra: Record<string, unknown> = {}) => ({
		kind: 'on_site',
		heldAt: localNow(),
		location: '河东村养殖场现场',
		attendees: '陈立、周红梅、环保所 䶮工',
		departmentIds: [dept('县自然资源局')],
		caseIds: caseIds.map(String),
		...extra
	});

	it('refuses everyone but county and township supervisors, writing nothing', async () => {
		const farm = await caseOf('养殖场异味扰民');
		const before = [(await t.db.select({ n: count() }).from(coordinationMeetings))[0].n, await auditRows('meeting.hold')];
		for (const username of ['mediator', 'villager', 'party', 'admin', 'tubu.admin', 'advisor', 'agent']) {
			expect((await outcome(holdMeeting(t.db, await viewer(t.db, username), form([farm])))).code, username).toBe('forbidden');
			expect((await outcome(proposeAgenda(t.db, await viewer(t.db, username)))).code, username).toBe('forbidden');
			expect((await outcome(listMeetings(t.db, await viewer(t.db, username)))).code, username).toBe('forbidden');
		}
		expect([(await t.db.select({ n: count() }).from(coordinationMeetings))[0].n, await auditRows('meeting.hold')]).toEqual(before);
	});

	it('refuses a matter outside the holder’s area, bad times and empty lists', async () => {
		const tubu = await viewer(t.db, 'tubu.supervisor');
		const farm = await caseOf('养殖场异味扰民');
		expect(await outcome(holdMeeting(t.db, tubu, form([farm, qiujinCase])))).toEqual({ code: 'invalid', fields: { caseIds: 'mt_err_case_not_found' } });
		expect((await outcome(holdMeeting(t.db, tubu, form([farm], { heldAt: '2020-01-01T09:00' })))).fields).toEqual({ heldAt: 'mt_err_held_range' });
		expect((await outcome(holdMeeting(t.db, tubu, form([farm], { heldAt: '2026-02-30T09:00' })))).fields).toEqual({ heldAt: 'err_date_invalid' });
		expect((await outcome(holdMeeting(t.db, tubu, form([], { departmentIds: undefined })))).fields).toEqual({ caseIds: 'mt_err_agenda', departmentIds: 'mt_err_departments' });
		expect((await outcome(holdMeeting(t.db, tubu, form([farm], { kind: 'party' })))).fields).toEqual({ kind: 'mt_err_kind' });
		expect((await outcome(holdMeeting(t.db, tubu, form([farm], { departmentIds: ['999999'] })))).fields).toEqual({ departmentIds: 'err_department_not_found' });
	});

	let meetingId: number;
	let actionId: number;

	it('records the meeting, its agenda with the reasons then, and an audit row; the matter leaves the proposals', async () => {
		const tubu = await viewer(t.db, 'tubu.supervisor');
		const farm = await caseOf('养殖场异味扰民');
		const audits = await auditRows('meeting.hold');
		({ id: meetingId } = await holdMeeting(t.db, tubu, form([farm, farm])));
		expect(await auditRows('meeting.hold')).toBe(audits + 1);
		const { meeting } = await getMeeting(t.db, tubu, meetingId);
		expect(meeting).toMatchObject({ kind: 'on_site', attendees: '陈立、周红梅、环保所 䶮工', departments: [{ name: '县自然资源局' }] });
		expect(meeting.matters.map((m) => [m.title, m.reasons.includes('overdue'), m.cleared])).toEqual([['养殖场异味扰民', true, false]]);
		expect((await proposeAgenda(t.db, tubu)).map((p) => p.id)).not.toContain(farm);
		expect((await listMeetings(t.db, tubu)).tracked.map((m) => m.title)).toContain('养殖场异味扰民');
	});

	it('hides the meeting from supervisors of other places and refuses their decisions', async () => {
		const county = await viewer(t.db, 'county.supervisor');
		const { id: countyMeeting } = await holdMeeting(t.db, county, form([qiujinCase], { kind: 'joint' }));
		const tubu = await viewer(t.db, 'tubu.supervisor');
		expect((await outcome(getMeeting(t.db, tubu, countyMeeting))).code).toBe('not_found');
		expect((await outcome(getMeeting(t.db, tubu, 'x'))).code).toBe('not_found');
		expect((await outcome(addAction(t.db, tubu, countyMeeting, { caseId: String(qiujinCase), decision: '研究', departmentId: dept('县司法局'), ownerId: String(tubu.id), dueOn: today() }))).code).toBe('not_found');
		expect((await listMeetings(t.db, tubu)).meetings.map((m) => m.id)).not.toContain(countyMeeting);
		// The county sees the township's meeting (its place is below the county).
		expect((await listMeetings(t.db, county)).meetings.map((m) => m.id)).toContain(meetingId);
		expect((await outcome(getMeeting(t.db, await viewer(t.db, 'mediator'), meetingId))).code).toBe('forbidden');
	});

	it('adds a decision only with an owner who may act on the matter and a time limit in range', async () => {
		const tubu = await viewer(t.db, 'tubu.supervisor');
		const farm = await caseOf('养殖场异味扰民');
		const decision = (extra: Record<string, string>) => ({ caseId: String(farm), decision: '督促养殖场安装除臭设备，一周内完成整改。', departmentId: dept('县自然资源局'), ownerId: String(tubu.id), dueOn: addDays(today(), 7), ...extra });
		const villager = await viewer(t.db, 'villager');
		expect(await outcome(addAction(t.db, tubu, meetingId, decision({ ownerId: String(villager.id) })))).toEqual({ code: 'invalid', fields: { ownerId: 'err_sv_owner_invalid' } });
		expect((await outcome(addAction(t.db, tubu, meetingId, decision({ dueOn: addDays(today(), 120) })))).fields).toEqual({ dueOn: 'mt_err_due_range' });
		expect((await outcome(addAction(t.db, tubu, meetingId, decision({ caseId: String(qiujinCase) })))).code).toBe('not_found');
		expect((await outcome(addAction(t.db, tubu, meetingId, decision({ decision: '   ' })))).fields).toEqual({ decision: 'err_required' });
		const audits = await auditRows('meeting.action_add');
		({ id: actionId } = await addAction(t.db, tubu, meetingId, decision({})));
		expect(await auditRows('meeting.action_add')).toBe(audits + 1);
		expect((await listMyActions(t.db, tubu)).map((a) => a.id)).toContain(actionId);
	});

	it('lets only the owner report it done; then the matter is cleared and leaves the list', async () => {
		const tubu = await viewer(t.db, 'tubu.supervisor');
		for (const username of ['mediator', 'county.supervisor', 'villager', 'party']) {
			expect(await outcome(completeAction(t.db, await viewer(t.db, username), { actionId: String(actionId), note: '已办' })), username).toEqual({ code: 'not_found', fields: {} });
		}
		expect((await outcome(completeAction(t.db, tubu, { actionId: String(actionId), note: '' }))).fields).toEqual({ note: 'err_required' });
		const audits = await auditRows('meeting.action_done');
		await completeAction(t.db, tubu, { actionId: String(actionId), note: '除臭设备已安装，村民确认异味明显减轻。' });
		expect(await auditRows('meeting.action_done')).toBe(audits + 1);
		expect(await outcome(completeAction(t.db, tubu, { actionId: String(actionId), note: '再报' }))).toEqual({ code: 'conflict', fields: { _: 'mt_err_already_done' } });
		const { meeting } = await getMeeting(t.db, tubu, meetingId);
		expect(meeting.matters[0].cleared).toBe(true);
		const list = await listMeetings(t.db, tubu);
		expect(list.tracked.map((m) => m.title)).not.toContain('养殖场异味扰民');
		expect(list.tracked.map((m) => m.title)).toContain('拖欠装修工人工资');
	});

	it('keeps nothing when the audit row cannot be written (one transaction)', async () => {
		await t.db.execute(sql`create function test_refuse_meeting_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`);
		await t.db.execute(sql`create trigger test_refuse_meeting_audit before insert on audit_log for each row when (new.action like 'meeting.%') execute function test_refuse_meeting_audit()`);
		const tubu = await viewer(t.db, 'tubu.supervisor');
		const meetings = (await t.db.select({ n: count() }).from(coordinationMeetings))[0].n;
		const actions = (await t.db.select({ n: count() }).from(meetingActions))[0].n;
		await expect(holdMeeting(t.db, tubu, form([await caseOf('养殖场异味扰民')]))).rejects.toThrow();
		await expect(addAction(t.db, tubu, meetingId, { caseId: String(await caseOf('养殖场异味扰民')), decision: '再议', departmentId: dept('县司法局'), ownerId: String(tubu.id), dueOn: today() })).rejects.toThrow();
		expect((await t.db.select({ n: count() }).from(coordinationMeetings))[0].n).toBe(meetings);
		expect((await t.db.select({ n: count() }).from(meetingActions))[0].n).toBe(actions);
		await t.db.execute(sql`drop trigger test_refuse_meeting_audit on audit_log`);
		await t.db.execute(sql`drop function test_refuse_meeting_audit()`);
	});

	it('prints the minutes with every name exactly, and audits each download', async () => {
		const tubu = await viewer(t.db, 'tubu.supervisor');
		const audits = await auditRows('meeting.minutes_pdf');
		const { bytes, fileName } = await downloadMinutes(t.db, tubu, meetingId);
		expect(fileName).toMatch(/^现场会纪要-\d{4}-\d{2}-\d{2}-\d+\.pdf$/);
		const { flat } = await pdfText(bytes);
		for (const text of ['涂埠镇矛盾纠纷现场会纪要', '环保所䶮工', '养殖场异味扰民', '督促养殖场安装除臭设备', '责任单位：县自然资源局', '已清零']) expect(flat).toContain(text.replace(/\s+/g, ''));
		expect(await auditRows('meeting.minutes_pdf')).toBe(audits + 1);
		const [row] = await t.db.select({ subjectId: auditLog.subjectId }).from(auditLog).where(and(eq(auditLog.action, 'meeting.minutes_pdf'))).orderBy(sql`${auditLog.id} desc`).limit(1);
		expect(row.subjectId).toBe(String(meetingId));
		const demo = (await listMeetings(t.db, tubu)).meetings.find((m) => m.id !== meetingId)!;
		expect((await pdfText((await downloadMinutes(t.db, tubu, demo.id)).bytes)).flat).toContain('𡈼明');
		expect((await outcome(downloadMinutes(t.db, await viewer(t.db, 'mediator'), meetingId))).code).toBe('forbidden');
	});
});
