/**
 * Pure generators behind `npm run seed:bulk`: plausible Chinese names, valid phones and ID numbers,
 * matter texts per category, and the mixes of channels, categories and statuses. Deterministic for a
 * given seed, so two runs with the same seed make the same county.
 */
import { normalizeIdNumber } from '../src/lib/utils/id-number';
import type { CaseStatus } from '../src/lib/server/cases/states';
import type { Channel } from '../src/lib/server/cases/intake/rules';

/** mulberry32: small, fast and good enough for test data (not for anything secret). */
export class Rng {
	#state: number;
	constructor(seed: number) {
		this.#state = seed >>> 0;
	}
	next(): number {
		let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}
	weighted<T>(pairs: readonly (readonly [T, number])[]): T {
		const total = pairs.reduce((s, [, w]) => s + w, 0);
		let r = this.next() * total;
		for (const [v, w] of pairs) if ((r -= w) < 0) return v;
		return pairs[pairs.length - 1][0];
	}
}

/** Yongxiu's 18 townships (乡镇/场); the first three are the demo county's. */
export const TOWNSHIPS = [
	'涂埠镇', '虬津镇', '艾城镇', '吴城镇', '滩溪镇', '马口镇', '白槎镇', '梅棠镇', '三溪桥镇',
	'燕坊镇', '江益镇', '柘林镇', '立新乡', '九合乡', '三角乡', '江上乡', '云山集团', '恒丰集团'
];

const VILLAGE_STEMS = [
	'新塘', '石门', '港口', '东岭', '西湖', '南山', '桥头', '枫林', '黄垅', '李家', '胡家', '熊家', '淳湖', '官庄',
	'白沙', '长岭', '双港', '杨柳', '上坊', '下坊', '塘山', '龙潭', '马垅', '团结', '前进', '红星', '永丰', '新华'
];

/** About eight villages for a township, named from a shuffled stem list so names stay unique within it. */
export function villageNames(rng: Rng, count: number, taken: Set<string>): string[] {
	const stems = [...VILLAGE_STEMS].sort(() => rng.next() - 0.5);
	const names: string[] = [];
	for (const stem of stems) {
		if (names.length === count) break;
		const name = `${stem}${rng.chance(0.15) ? '社区' : '村'}`;
		if (!taken.has(name)) names.push(name);
	}
	return names;
}

export const EXTRA_DEPARTMENTS = ['县生态环境局', '县卫生健康委员会', '县农业农村局', '县公安局', '县市场监督管理局', '县教育体育局'];

/** Which county department a routed matter of a category usually goes to. */
export const DEPARTMENT_FOR_CATEGORY: Record<string, string> = {
	land_forest: '县自然资源局',
	marriage_family: '县民政局',
	neighbours: '县司法局',
	debt: '县司法局',
	wages: '县人力资源和社会保障局',
	housing_demolition: '县住房和城乡建设局',
	environment: '县生态环境局',
	medical: '县卫生健康委员会',
	other: '县信访局'
};

const SURNAMES: readonly (readonly [string, number])[] = [
	['王', 7], ['李', 7], ['张', 6], ['刘', 6], ['陈', 6], ['杨', 3], ['黄', 3], ['赵', 2], ['吴', 3], ['周', 2], ['徐', 2],
	['孙', 2], ['胡', 3], ['朱', 2], ['高', 1], ['林', 1], ['何', 1], ['郭', 1], ['马', 1], ['罗', 1], ['梁', 1], ['宋', 1],
	['郑', 1], ['谢', 1], ['熊', 2], ['万', 1], ['涂', 1], ['淦', 0.5], ['余', 1], ['邹', 1], ['喻', 0.5], ['欧阳', 0.3]
];
const GIVEN = '德明春华志强秀英桂兰文国平玉梅海燕伟芳军霞勇敏静磊丽刚金凤水根发火冬秋菊建红卫东新民荣福贵生林涛斌鹏辉俊杰婷娟琴兵亮超';

export function personName(rng: Rng): string {
	const surname = rng.weighted(SURNAMES);
	const given = rng.chance(0.8) ? rng.pick([...GIVEN]) + rng.pick([...GIVEN]) : rng.pick([...GIVEN]);
	return surname + given;
}

export function surname(rng: Rng): string {
	return rng.weighted(SURNAMES);
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '157', '158', '159', '177', '180', '181', '182', '183', '186', '187', '188', '189', '191', '198', '199'];

export function phone(rng: Rng): string {
	return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/**
 * A resident ID number with a correct check character: 17 digits (Jiujiang area code, birth date,
 * sequence), then whichever of the 11 possible check characters the app's own validator accepts.
 */
export function idNumber(rng: Rng): string {
	const area = rng.weighted([['360425', 8], ['360402', 1], ['360423', 1]] as const);
	const birth = new Date(Date.UTC(rng.int(1940, 2003), 0, 1) + rng.int(0, 364) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
	const body = area + birth + String(rng.int(1, 999)).padStart(3, '0');
	for (const check of '0123456789X') {
		const id = normalizeIdNumber(body + check);
		if (id) return id;
	}
	throw new Error(`no check character for ${body}`);
}

export const CHANNEL_MIX: readonly (readonly [Channel, number])[] = [
	['walk_in', 25], ['phone', 18], ['online', 12], ['wechat', 10], ['grid_report', 12], ['agent', 10],
	['leader_mailbox', 5], ['sms', 4], ['video', 4]
];

export const CATEGORY_MIX: readonly (readonly [string, number])[] = [
	['neighbours', 22], ['land_forest', 18], ['marriage_family', 14], ['debt', 12], ['wages', 9],
	['housing_demolition', 8], ['environment', 5], ['medical', 3], ['other', 9]
];

/** The final status of a matter registered `ageDays` ago: old ones closed, recent ones open. */
export function statusForAge(rng: Rng, ageDays: number): CaseStatus {
	const mix: [CaseStatus, number][] =
		ageDays < 15
			? [['registered', 45], ['accepted', 20], ['assigned', 20], ['in_mediation', 8], ['not_accepted', 5], ['concluded', 2]]
			: ageDays < 30
				? [['registered', 4], ['accepted', 12], ['assigned', 30], ['in_mediation', 30], ['concluded', 14], ['not_accepted', 5], ['follow_up', 5]]
				: ageDays < 90
					? [['accepted', 2], ['assigned', 10], ['in_mediation', 26], ['concluded', 30], ['follow_up', 12], ['archived', 15], ['not_accepted', 5]]
					: ageDays < 180
						? [['assigned', 2], ['in_mediation', 6], ['concluded', 18], ['follow_up', 14], ['archived', 55], ['not_accepted', 5]]
						: [['assigned', 0.4], ['in_mediation', 1.2], ['concluded', 4], ['follow_up', 3], ['archived', 86.4], ['not_accepted', 5]];
	return rng.weighted(mix);
}

/** Organisations a matter of this category is often against. */
export function organisation(rng: Rng, category: string, township: string, village: string): string | null {
	const firm = () => `永修县${rng.pick(['鑫源', '恒达', '宏发', '顺通', '兴旺', '华盛', '金桥', '赣北'])}`;
	switch (category) {
		case 'wages':
			return rng.chance(0.85) ? `${firm()}${rng.pick(['建筑工程有限公司', '劳务有限公司', '建材厂', '纺织有限公司'])}` : null;
		case 'environment':
			return rng.chance(0.8) ? rng.pick([`${village}${surname(rng)}氏养殖场`, `${firm()}石料厂`, `${firm()}化工有限公司`]) : null;
		case 'medical':
			return rng.chance(0.9) ? rng.pick([`${township}卫生院`, '永修县人民医院', `${village}卫生室`]) : null;
		case 'housing_demolition':
			return rng.chance(0.7) ? rng.pick([`${township}人民政府`, '永修县房屋征收与补偿办公室']) : null;
		case 'other':
			return rng.chance(0.3) ? `${village}村民委员会` : null;
		default:
			return null;
	}
}

type Slots = { a: string; r: string; v: string; n: number; y: number };
const TEXTS: Record<string, [title: string, description: (s: Slots) => string][]> = {
	land_forest: [
		['山林边界纠纷', (s) => `申请人${s.a}反映，其家承包的${s.n}亩山林与${s.r}家相邻，双方对边界认定不一，${s.r}砍伐了界内杉树，请求调解确认边界并赔偿损失。`],
		['承包地流转费纠纷', (s) => `${s.a}称其将${s.n}亩承包地流转给${s.r}种植水稻，对方已拖欠两年流转费，多次催要未果。`],
		['宅基地权属争议', (s) => `${s.a}与${s.r}因${s.v}一处宅基地的使用权归属发生争议，双方各执一词，${s.a}要求村委会核实土地证。`]
	],
	marriage_family: [
		['赡养老人纠纷', (s) => `${s.a}年过七旬，反映其子${s.r}长期不尽赡养义务，不提供生活费，请求调解。`],
		['离婚财产分割纠纷', (s) => `${s.a}与${s.r}协议离婚，对共同建造的房屋及${s.n}万元存款的分割存在分歧。`],
		['抚养费纠纷', (s) => `${s.a}反映前夫${s.r}拒绝按约定支付孩子抚养费，已拖欠${s.n}个月。`]
	],
	neighbours: [
		['排水沟堵塞纠纷', (s) => `${s.a}反映邻居${s.r}建房时将两家之间的排水沟堵塞，雨天积水倒灌进屋。`],
		['建房采光纠纷', (s) => `${s.r}新建三层楼房，${s.a}认为影响其房屋采光和通风，双方多次争吵。`],
		['道路通行纠纷', (s) => `${s.a}称${s.r}在通往其家的村道上堆放建材，阻碍通行，协商无果。`]
	],
	debt: [
		['民间借贷纠纷', (s) => `${s.a}于${s.y}年借给${s.r}人民币${s.n}万元，约定一年归还，至今未还。`],
		['农资货款纠纷', (s) => `${s.a}经营农资店，${s.r}赊欠化肥、种子货款${s.n}千元，一直拖欠。`]
	],
	wages: [
		['拖欠农民工工资', (s) => `${s.a}等人在${s.r}承包的工地务工，被拖欠工资共计${s.n}万元，请求帮助追讨。`],
		['工伤赔偿纠纷', (s) => `${s.a}在${s.r}务工期间受伤，双方对医疗费和误工费的承担有争议。`]
	],
	housing_demolition: [
		['房屋征收补偿争议', (s) => `${s.a}的房屋位于${s.v}征收范围内，对评估价格和安置方式有异议，要求${s.r}重新评估。`],
		['拆迁安置纠纷', (s) => `${s.a}反映安置房分配不公，其家庭人口${s.n}人，只分得一套小户型。`]
	],
	environment: [
		['养殖场污染纠纷', (s) => `${s.a}反映${s.r}的养殖场臭气和污水影响周边村民生活，要求整改。`],
		['噪声扰民', (s) => `${s.a}反映附近${s.r}夜间生产噪声扰民，严重影响休息。`]
	],
	medical: [['医疗费用纠纷', (s) => `${s.a}在${s.r}就诊后病情加重，认为诊疗存在过错，要求赔偿医疗费${s.n}千元。`]],
	other: [
		['装修合同纠纷', (s) => `${s.a}与${s.r}签订的房屋装修合同未按期完工，双方对违约责任有争议。`],
		['低保评定问题', (s) => `${s.a}反映${s.r}低保评定不公开，要求公示评定结果。`]
	]
};

export function caseText(rng: Rng, category: string, slots: Slots): { title: string; description: string } {
	const [title, description] = rng.pick(TEXTS[category] ?? TEXTS.other);
	return { title: `${slots.v}${title}`, description: description(slots) };
}

export const CONCLUSIONS = [
	['调解成功', '经评理团评议，双方达成调解协议并当场履行。'],
	['调解成功', '双方各让一步，签订调解协议，约定分期履行。'],
	['解释说明', '向申请人解释相关政策，申请人表示理解。'],
	['不予支持', '经核实，申请人诉求缺乏事实依据，已书面答复。'],
	['引导诉讼', '调解未能达成一致，已告知申请人可向人民法院起诉。']
] as const;

export const REJECT_REASONS = ['已进入诉讼程序，不属于信访受理范围。', '同一事项已办结且无新的事实和理由。', '不属于本机关职权范围，已告知向有权机关提出。'];
