import { eq, inArray } from 'drizzle-orm';
import { addPractice } from '../assessment/practices';
import { defaultPeriod } from '../assessment/rules';
import { saveWeights } from '../assessment/weights';
import { shanghaiDate } from '../cases/shanghai-date';
import type { Db, Tx } from '../db';
import { cases, users } from '../db/schema';
import { loadViewer } from '../people/load-viewer';

/**
 * The assessment's demo: the county's own weights (version 1, through the real use case so it is
 * audited), one good practice named for last month's circular, and two matters that went above the
 * county — one to the province (赴省), one to Beijing (进京) — so those columns are not all zero.
 */
export async function seedDemoAssessment(tx: Tx, now = new Date()): Promise<void> {
	const db = tx as unknown as Db;
	const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'admin'));
	const [supervisor] = await tx.select({ id: users.id }).from(users).where(eq(users.username, 'supervisor'));
	await saveWeights(db, (await loadViewer(db, admin.id))!, {
		note: '按县委政法委年度考核办法，加重进京、按期办结和一次性化解的权重',
		intake_change: '10',
		accepted_on_time: '10',
		concluded_on_time: '15',
		first_resolved: '15',
		repeat_share: '10',
		beijing: '20',
		province: '10',
		orders_overdue: '5',
		satisfaction: '5'
	});
	await addPractice(db, (await loadViewer(db, supervisor.id))!, {
		period: defaultPeriod(shanghaiDate(now)).key,
		unit: '涂埠镇',
		text: '推行“大家来评理”评理团进村，邀请老党员、法律明白人当场评理，多起邻里纠纷当场化解。'
	});
	await tx.update(cases).set({ escalatedBeyondCounty: true, escalatedTo: 'province' }).where(eq(cases.title, '房屋征收补偿面积认定'));
	await tx.update(cases).set({ escalatedBeyondCounty: true, escalatedTo: 'beijing' }).where(inArray(cases.title, ['山林承包合同到期后的林木归属']));
}
