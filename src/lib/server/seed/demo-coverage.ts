import { eq } from 'drizzle-orm';
import type { RoleName } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { hashPassword } from '../auth/password';
import type { Tx } from '../db';
import { places, userRoles, users } from '../db/schema';
import { DEMO_PASSWORD } from './demo-password';

/**
 * The 法律明白人 and 法律顾问 the demo county has besides the sign-in accounts (which already give 城南村,
 * 虬津村 and 涂埠镇 theirs), so the coverage page shows one deliberate gap: 王家村 (艾城镇) has no
 * 法律明白人. They sign in by phone only (13800138 1xx range) and share the demo password.
 */
export const DEMO_COVERAGE_GAP_VILLAGE = '王家村';

const PEOPLE: { name: string; phone: string; place: string; role: RoleName }[] = [
	{ name: '法律明白人 刘桂兰', phone: '13800138101', place: '河东村', role: 'legal_villager' },
	{ name: '法律明白人 胡振华', phone: '13800138102', place: '燕坊村', role: 'legal_villager' },
	{ name: '法律明白人 𠮷祥', phone: '13800138103', place: '张公渡村', role: 'legal_villager' },
	{ name: '法律明白人 涂春梅', phone: '13800138104', place: '艾城村', role: 'legal_villager' },
	{ name: '法律顾问 熊律师', phone: '13800138105', place: '虬津镇', role: 'legal_advisor' },
	{ name: '法律顾问 万律师', phone: '13800138106', place: '艾城镇', role: 'legal_advisor' }
];

/**
 * Inserted directly with one shared password hash rather than through createUser, which would hash the
 * same demo password six more times (argon2id, slow) on every seeded test database. The audit row is
 * the same one createUser writes, in the seed's transaction.
 */
export async function seedDemoCoverage(tx: Tx): Promise<void> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	for (const p of PEOPLE) {
		const [place] = await tx.select({ id: places.id }).from(places).where(eq(places.name, p.place));
		const [row] = await tx.insert(users).values({ name: p.name, phone: p.phone, passwordHash, placeId: place.id }).returning({ id: users.id });
		await tx.insert(userRoles).values({ userId: row.id, role: p.role });
		await recordAudit(tx, { action: 'user.create', actorId: null, subjectType: 'user', subjectId: row.id, data: { name: p.name, placeId: place.id, roles: [p.role] } });
	}
}
