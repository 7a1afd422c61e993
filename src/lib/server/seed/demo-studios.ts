import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import { hashPassword } from '../auth/password';
import type { Tx } from '../db';
import { caseEvents, cases, places, studioMembers, studios, userRoles, users } from '../db/schema';
import { DEMO_PASSWORD } from './demo-password';

/** The two lead mediators the county's studios are named after; they sign in with the demo password. */
const LEADS = [
	{ username: 'xu.mediator', phone: '13800138012', name: '徐云峰', place: '永修县' },
	{ username: 'wang.mediator', phone: '13800138013', name: '王新望', place: '涂埠镇' }
];

/**
 * The county's named mediation studios (issue 13 part 1): 徐云峰's at the county with 王秀英 (the
 * `mediator` account) as a member, 王新望's at 涂埠镇; each given a few of the demo's matters, the
 * oldest open ones of its place, with the timeline entry a supervisor's assignment writes.
 */
export async function seedDemoStudios(tx: Tx): Promise<void> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const [county] = await tx.select({ id: places.id }).from(places).where(eq(places.kind, 'county'));
	const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'admin'));
	const [assigner] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'county.supervisor'));
	const [member] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'mediator'));
	const leadIds: number[] = [];
	for (const p of LEADS) {
		const [place] = await tx.select({ id: places.id }).from(places).where(eq(places.name, p.place));
		const [row] = await tx.insert(users).values({ name: p.name, username: p.username, phone: p.phone, passwordHash, placeId: place.id }).returning({ id: users.id });
		await tx.insert(userRoles).values({ userId: row.id, role: 'mediator' });
		await recordAudit(tx, { action: 'user.create', actorId: null, subjectType: 'user', subjectId: row.id, data: { name: p.name, placeId: place.id, roles: ['mediator'] } });
		leadIds.push(row.id);
	}
	const [tubu] = await tx.select({ id: places.id }).from(places).where(eq(places.name, '涂埠镇'));
	const setup = [
		{
			name: '徐云峰矛盾纠纷调解工作室',
			placeId: county.id,
			leadId: leadIds[0],
			members: [leadIds[0], member.id],
			method: '望闻问切"五心"工作法：耐心倾听、诚心沟通、公心评理、细心疏导、恒心回访',
			intake: '全县积案、"骨头案"，多次信访和跨乡镇的疑难纠纷'
		},
		{
			name: '王新望矛盾纠纷调解工作室',
			placeId: tubu.id,
			leadId: leadIds[1],
			members: [leadIds[1]],
			method: '"三到场"调解法：当事人到场、村干部到场、法律顾问到场，以案释法',
			intake: '涂埠镇邻里、婚姻家庭、土地山林的久调未结纠纷'
		}
	];
	for (const s of setup) {
		const { members, ...values } = s;
		const [row] = await tx.insert(studios).values({ countyId: county.id, createdById: admin.id, ...values }).returning({ id: studios.id });
		await tx.insert(studioMembers).values(members.map((userId) => ({ studioId: row.id, userId })));
		await recordAudit(tx, { action: 'studio.create', actorId: admin.id, subjectType: 'studio', subjectId: row.id, data: { name: s.name, placeId: s.placeId, leadId: s.leadId, method: s.method, intake: s.intake } });
		const given = await tx
			.select({ id: cases.id, registeredAt: cases.registeredAt })
			.from(cases)
			.where(and(s.placeId === county.id ? undefined : eq(cases.townshipId, s.placeId), isNull(cases.studioId), inArray(cases.status, ['accepted', 'assigned', 'in_mediation', 'concluded', 'follow_up'])))
			.orderBy(asc(cases.registeredAt))
			.limit(2);
		for (const c of given) {
			const at = new Date(c.registeredAt.getTime() + 2 * 86_400_000);
			await tx.update(cases).set({ studioId: row.id, studioAssignedAt: at }).where(eq(cases.id, c.id));
			await tx.insert(caseEvents).values({ caseId: c.id, at, actorId: assigner.id, kind: 'studio_assign', note: s.name, data: { studioId: row.id, fromStudioId: null }, public: false });
			await recordAudit(tx, { action: 'studio.assign', actorId: assigner.id, subjectType: 'case', subjectId: c.id, data: { caseId: c.id, studioId: row.id, fromStudioId: null } });
		}
	}
}
