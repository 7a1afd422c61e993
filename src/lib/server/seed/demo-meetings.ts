import { eq, inArray } from 'drizzle-orm';
import { addDays, shanghaiDate } from '../cases/shanghai-date';
import type { Db, Tx } from '../db';
import { cases, departments, users } from '../db/schema';
import { addAction } from '../meetings/add-action';
import { completeAction } from '../meetings/complete-action';
import { holdMeeting } from '../meetings/hold-meeting';
import { loadViewer } from '../people/load-viewer';

const DAY_MS = 86_400_000;

/**
 * One coordination meeting of 涂埠镇 ten days ago, through the real use cases (so its audit rows are
 * written in the seed's transaction): the overdue unpaid-wages matter with two decisions, one done and
 * one past its time limit and owned by the demo mediator (it shows on her home page and the supervision
 * page). The other stalled matters (the smelly farm, the resettlement area) stay proposed for the next
 * meeting.
 */
export async function seedDemoMeetings(tx: Tx, now = new Date()): Promise<{ meetingId: number }> {
	const db = tx as unknown as Db;
	const id = async (username: string) => (await tx.select({ id: users.id }).from(users).where(eq(users.username, username)))[0].id;
	const supervisor = (await loadViewer(db, await id('tubu.supervisor')))!;
	const mediator = (await loadViewer(db, await id('mediator')))!;
	const [wages] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.title, '拖欠装修工人工资'));
	const depts = await tx.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.name, ['县人力资源和社会保障局', '县司法局']));
	const dept = (name: string) => String(depts.find((d) => d.name === name)!.id);
	const heldAt = new Date(now.getTime() - 10 * DAY_MS);
	heldAt.setUTCHours(1, 30, 0, 0); // 09:30 in Shanghai
	const day = shanghaiDate(heldAt);
	const local = `${day}T09:30`;

	const { id: meetingId } = await holdMeeting(
		db,
		supervisor,
		{
			kind: 'coordination',
			heldAt: local,
			location: '涂埠镇综治中心二楼会议室',
			attendees: '陈立（司法所）、王秀英（调解员）、县人社局劳动监察大队 𡈼明、城南村 张德明',
			departmentIds: [dept('县人力资源和社会保障局'), dept('县司法局')],
			caseIds: [String(wages.id)]
		}, { now: heldAt }
	);
	const { id: interview } = await addAction(db, supervisor, meetingId, {
		caseId: String(wages.id),
		decision: '核实六名工人的出勤记录和工资标准，形成欠薪清单。',
		departmentId: dept('县司法局'),
		ownerId: String(supervisor.id),
		dueOn: addDays(day, 3)
	});
	await completeAction(db, supervisor, { actionId: String(interview), note: '已核实，欠薪合计 4.2 万元，清单经工人签字确认。' }, { now: new Date(heldAt.getTime() + 2 * DAY_MS) });
	await addAction(db, supervisor, meetingId, {
		caseId: String(wages.id),
		decision: '约谈包工头许某，限期拿出支付方案；拒不支付的移交劳动监察立案。',
		departmentId: dept('县人力资源和社会保障局'),
		ownerId: String(mediator.id),
		dueOn: addDays(day, 7)
	});
	return { meetingId };
}
