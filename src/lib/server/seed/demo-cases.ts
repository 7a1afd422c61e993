import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { periodEnd, dueState } from '../cases/clocks';
import { fileCase } from '../cases/intake/file-case';
import { shanghaiDate } from '../cases/shanghai-date';
import { transitionCase } from '../cases/work/transition-case';
import type { Db, Tx } from '../db';
import { caseCategories, caseParties, departments, places, users } from '../db/schema';
import { loadViewer } from '../people/load-viewer';

const DAY = 86_400_000;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A made-up resident ID number with a correct check character (GB 11643), for demo parties only. */
function demoIdNumber(first17: string): string {
	const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
	return first17 + '10X98765432'[sum % 11];
}

type Step = [who: string, daysAgo: number, command: Record<string, unknown>];

interface DemoCase {
	by: string;
	daysAgo: number;
	channel?: string;
	category: string;
	place: string;
	title: string;
	description: string;
	applicants: { name: string; kind?: 'organisation'; phone?: string; id?: string; address?: string }[];
	respondents: { name: string; kind?: 'organisation'; phone?: string; id?: string }[];
	repeatOf?: number;
	/** Link the demo `party` account to the first applicant, so the party sees the case. */
	partyAccount?: boolean;
	steps: Step[];
}

/**
 * The first day offset in `range` at which a clock of `days` started that many days before `now` is in
 * `state` today. Holidays move due dates, so the demo picks offsets that give "due soon" and "overdue"
 * on whatever day it is loaded.
 */
function offsetFor(now: Date, days: number, state: 'due_soon' | 'overdue', range: number[]): number {
	const today = shanghaiDate(now);
	return range.find((d) => dueState(periodEnd(new Date(now.getTime() - d * DAY), days), today) === state) ?? range[0];
}

/**
 * A handful of matters in 永修县, filed and moved through the real use cases, so that every status,
 * both due states (due soon, overdue), an escalation, an extension, a repeat and an agent's filing for
 * a resident are there to look at. Called at the end of the demo seed, in its transaction.
 */
export async function seedDemoCases(db: Db | Tx, now = new Date()): Promise<void> {
	const viewers = new Map<string, Viewer>();
	for (const u of await db.select({ id: users.id, username: users.username }).from(users)) {
		const v = u.username ? await loadViewer(db as Db, u.id) : null;
		if (v) viewers.set(u.username!, v);
	}
	const placeId = new Map((await db.select({ id: places.id, name: places.name }).from(places)).map((p) => [p.name, p.id]));
	const categoryId = new Map((await db.select({ id: caseCategories.id, code: caseCategories.code }).from(caseCategories)).map((c) => [c.code, c.id]));
	const deptId = new Map((await db.select({ id: departments.id, name: departments.name }).from(departments)).map((d) => [d.name, d.id]));
	const mediator = viewers.get('mediator')!.id;

	const soon = offsetFor(now, 15, 'due_soon', [12, 13, 11, 14, 10, 9, 8]);
	const late = offsetFor(now, 15, 'overdue', [20, 21, 22, 23, 24, 25, 26]);
	const lateConclude = offsetFor(now, 60, 'overdue', [70, 71, 72, 73, 74, 75, 76]);

	const demo: DemoCase[] = [
		{
			by: 'mediator', daysAgo: 150, channel: 'walk_in', category: 'marriage_family', place: '城南村',
			title: '赡养老人费用分担纠纷',
			description: '申请人年迈，三个子女对赡养费分担意见不一，申请调解。',
			applicants: [{ name: '刘桂花', phone: '13907920101', id: demoIdNumber('36042519480612002'), address: '城南村一组' }],
			respondents: [{ name: '张大勇', phone: '13907920102' }, { name: '张二勇' }],
			steps: [
				['mediator', 149, { type: 'accept' }],
				['mediator', 148, { type: 'assign', mediatorId: mediator }],
				['mediator', 140, { type: 'start_mediation' }],
				['mediator', 120, { type: 'conclude', reason: '调解成功', summary: '三名子女每月各承担赡养费 400 元，医药费按实平摊。' }],
				['mediator', 100, { type: 'start_follow_up', note: '电话回访，已按月支付' }],
				['mediator', 80, { type: 'archive' }]
			]
		},
		{
			by: 'villager', daysAgo: 3, channel: 'walk_in', category: 'marriage_family', place: '城南村', repeatOf: 0,
			title: '赡养费未按协议支付（再次反映）',
			description: '去年调解达成赡养协议后，张二勇近三个月未按协议支付赡养费，刘桂花再次来反映。',
			applicants: [{ name: '刘桂花', phone: '13907920101', id: demoIdNumber('36042519480612002'), address: '城南村一组' }],
			respondents: [{ name: '张二勇' }],
			steps: []
		},
		{
			by: 'agent', daysAgo: soon, category: 'neighbours', place: '城南村', partyAccount: true,
			title: '宅基地边界围墙纠纷',
			description: '孙大伯与邻居李某因宅基地边界的围墙位置发生争执，孙大伯行动不便，由代办员代为登记。',
			applicants: [{ name: '孙大伯', phone: '13800138009', id: '11010519491231002X', address: '城南村三组 12 号' }],
			respondents: [{ name: '李某', phone: '13907920022' }],
			steps: []
		},
		{
			by: 'grid', daysAgo: late, category: 'environment', place: '河东村',
			title: '养殖场异味扰民',
			description: '河东村二组养殖场夏季异味严重，附近十余户村民多次反映，网格员巡查时上报。',
			applicants: [
				{ name: '周红梅', phone: '13907920201', address: '河东村二组' },
				{ name: '吴建华', phone: '13907920202', address: '河东村二组' },
				{ name: '郑小兰', address: '河东村二组' }
			],
			respondents: [{ name: '永修县河东生态养殖场', kind: 'organisation' }],
			steps: []
		},
		{
			by: 'villager', daysAgo: 25, category: 'other', place: '城南村',
			title: '要求撤销离婚判决',
			description: '申请人对法院的离婚判决不服，要求村里出面撤销判决。',
			applicants: [{ name: '陈某', phone: '13907920301' }],
			respondents: [{ name: '黄某' }],
			steps: [['tubu.supervisor', 24, { type: 'reject', reason: '属于法院已生效判决，不属于人民调解受理范围。可依法申请再审，并可申请法律援助。' }]]
		},
		{
			by: 'mediator', daysAgo: 9, channel: 'phone', category: 'land_forest', place: '燕坊村',
			title: '山林承包合同到期后的林木归属',
			description: '承包合同到期，村民小组与承包人对已成材林木的归属有争议，涉及两个村民小组。',
			applicants: [{ name: '燕坊村第三村民小组', kind: 'organisation', address: '燕坊村' }],
			respondents: [{ name: '钱永福', phone: '13907920401', id: demoIdNumber('36042519700101001') }],
			steps: [
				['mediator', 8, { type: 'accept', note: '涉及两个村民小组，村里难以调处' }],
				['mediator', 7, { type: 'escalate', reason: '涉及两个村民小组的集体林权，需镇里统一调处' }]
			]
		},
		{
			by: 'mediator', daysAgo: lateConclude + 1, category: 'wages', place: '城南村',
			title: '拖欠装修工人工资',
			description: '六名装修工人称包工头拖欠三个月工资共计 4.2 万元。',
			applicants: [
				{ name: '何志强', phone: '13907920501' },
				{ name: '罗小军', phone: '13907920502' }
			],
			respondents: [{ name: '许某（包工头）', phone: '13907920503' }],
			steps: [
				['tubu.supervisor', lateConclude, { type: 'accept' }],
				['tubu.supervisor', lateConclude, { type: 'assign', departmentId: deptId.get('县人力资源和社会保障局'), mediatorId: mediator }],
				['mediator', lateConclude - 5, { type: 'start_mediation' }]
			]
		},
		{
			by: 'mediator', daysAgo: 30, category: 'neighbours', place: '城南村', partyAccount: true,
			title: '相邻排水沟堵塞纠纷',
			description: '邻居翻建房屋时填堵了排水沟，雨天积水倒灌进申请人家中。',
			applicants: [{ name: '孙大伯', phone: '13800138009', id: '11010519491231002X', address: '城南村三组 12 号' }],
			respondents: [{ name: '赵某', phone: '13907920601' }],
			steps: [
				['mediator', 29, { type: 'accept' }],
				['mediator', 28, { type: 'assign', mediatorId: mediator, note: '请评理团参与' }],
				['mediator', 25, { type: 'start_mediation' }]
			]
		},
		{
			by: 'tubu.supervisor', daysAgo: 50, channel: 'leader_mailbox', category: 'housing_demolition', place: '涂埠镇',
			title: '房屋征收补偿面积认定',
			description: '申请人认为评估时漏算了附属用房面积，要求重新认定。',
			applicants: [{ name: '冯国庆', phone: '13907920701', id: demoIdNumber('36042519620808003') }],
			respondents: [{ name: '涂埠镇征收办', kind: 'organisation' }],
			steps: [
				['tubu.supervisor', 49, { type: 'accept' }],
				['tubu.supervisor', 49, { type: 'assign', departmentId: deptId.get('县住房和城乡建设局') }],
				['tubu.supervisor', 20, { type: 'extend', days: 20, reason: '需委托第三方重新测绘' }]
			]
		},
		{
			by: 'mediator', daysAgo: 40, category: 'debt', place: '河东村',
			title: '亲戚间借款归还纠纷',
			description: '2023 年借款 3 万元，约定一年归还，至今未还。',
			applicants: [{ name: '郭美玲', phone: '13907920801' }],
			respondents: [{ name: '郭志明', phone: '13907920802' }],
			steps: [
				['mediator', 39, { type: 'accept' }],
				['mediator', 38, { type: 'assign', mediatorId: mediator }],
				['mediator', 30, { type: 'start_mediation' }],
				['mediator', 10, { type: 'conclude', reason: '调解成功', summary: '被申请人分三期归还，每期 1 万元，最后一期于年底前付清。' }]
			]
		},
		{
			by: 'mediator', daysAgo: 60, category: 'medical', place: '城南村',
			title: '村卫生室输液后过敏的费用',
			description: '申请人在村卫生室输液后过敏住院，要求承担住院费用。',
			applicants: [{ name: '马秀兰', phone: '13907920901' }],
			respondents: [{ name: '城南村卫生室', kind: 'organisation' }],
			steps: [
				['mediator', 59, { type: 'accept' }],
				['mediator', 58, { type: 'assign', mediatorId: mediator }],
				['mediator', 50, { type: 'start_mediation' }],
				['mediator', 30, { type: 'conclude', reason: '调解成功', summary: '卫生室承担住院费用的 70%。' }],
				['mediator', 5, { type: 'start_follow_up', note: '已付款，回访满意' }]
			]
		}
	];

	const filed: { id: number; number: string }[] = [];
	for (const c of demo) {
		const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
		const parties = [
			...c.applicants.map((p) => ({ side: 'applicant', kind: p.kind ?? 'person', name: p.name, phone: p.phone, idNumber: p.id, address: p.address })),
			...c.respondents.map((p) => ({ side: 'respondent', kind: p.kind ?? 'person', name: p.name, phone: p.phone, idNumber: p.id }))
		];
		const { id, number } = await fileCase(
			db as Db,
			viewers.get(c.by)!,
			{
				channel: c.channel ?? 'walk_in',
				categoryId: categoryId.get(c.category),
				placeId: placeId.get(c.place),
				title: c.title,
				description: c.description,
				parties,
				repeatOfNumber: c.repeatOf === undefined ? undefined : filed[c.repeatOf].number
			}, { now: at(c.daysAgo) }
		);
		filed.push({ id, number });
		if (c.partyAccount) {
			await db
				.update(caseParties)
				.set({ userId: viewers.get('party')!.id })
				.where(and(eq(caseParties.caseId, id), eq(caseParties.side, 'applicant')));
		}
		for (const [who, daysAgo, command] of c.steps) await transitionCase(db as Db, viewers.get(who)!, id, command, { now: at(daysAgo) });
	}
}
