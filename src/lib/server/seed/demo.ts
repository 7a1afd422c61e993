import { DEMO_PASSWORD } from './demo-password';
import { count } from 'drizzle-orm';
import type { PanelistType, RoleName } from '../../types';
import type { Db, Tx } from '../db';
import { departments, places } from '../db/schema';
import { createPlace } from '../places/create-place';
import { createUser } from '../people/create-user';
import { seedDemoCases } from './demo-cases';
import { seedDemoCoverage } from './demo-coverage';
import { seedDemoMediation } from './demo-mediation';
import { seedDemoRoster } from './demo-roster';
import { seedDemoMeetings } from './demo-meetings';
import { seedDemoAssessment } from './demo-assessment';
import { ensureDemoCertificate } from '../sealing/demo-certificate-install';
import { seedDemoStudios } from './demo-studios';

/** Every demo account signs in with this password (listed in the README). */
export { DEMO_PASSWORD } from './demo-password';

const TOWNSHIPS: Record<string, string[]> = {
	涂埠镇: ['城南村', '河东村', '燕坊村'],
	虬津镇: ['张公渡村', '虬津村'],
	艾城镇: ['艾城村', '王家村']
};

export const DEMO_DEPARTMENTS = ['县司法局', '县信访局', '县自然资源局', '县人力资源和社会保障局', '县住房和城乡建设局', '县民政局'];

interface DemoAccount {
	username: string;
	phone: string;
	name: string;
	place: string;
	roles: RoleName[];
	panelistType?: PanelistType;
	department?: string;
}

/**
 * One account per role, plus a township supervisor to show scoping and a county supervisor outside any
 * department for county-level matters. Phones are in the 13800138xxx demo range.
 */
export const DEMO_ACCOUNTS: DemoAccount[] = [
	{ username: 'admin', phone: '13800138000', name: '管理员 周敏', place: '永修县', roles: ['admin'] },
	{ username: 'supervisor', phone: '13800138001', name: '县信访局 刘建国', place: '永修县', roles: ['supervisor'], department: '县信访局' },
	// County-level matters (escalated to the county) are handled by county place staff outside any
	// department: department members act only on what is routed to their department.
	{ username: 'county.supervisor', phone: '13800138011', name: '县矛调中心 黄海', place: '永修县', roles: ['supervisor'] },
	{ username: 'tubu.supervisor', phone: '13800138002', name: '涂埠镇司法所 陈立', place: '涂埠镇', roles: ['supervisor'] },
	{ username: 'mediator', phone: '13800138003', name: '调解员 王秀英', place: '涂埠镇', roles: ['mediator'] },
	{ username: 'advisor', phone: '13800138004', name: '法律顾问 李律师', place: '涂埠镇', roles: ['legal_advisor'] },
	{ username: 'villager', phone: '13800138005', name: '法律明白人 张德明', place: '城南村', roles: ['legal_villager'] },
	{ username: 'panelist', phone: '13800138006', name: '老党员 黄福生', place: '城南村', roles: ['panelist'], panelistType: 'veteran_party_member' },
	{ username: 'agent', phone: '13800138007', name: '代办员 吴小红', place: '城南村', roles: ['agent'] },
	{ username: 'grid', phone: '13800138008', name: '网格员 赵强', place: '河东村', roles: ['grid_worker'] },
	{ username: 'party', phone: '13800138009', name: '当事人 孙大伯', place: '城南村', roles: ['party'] },
	{ username: 'qiujin.villager', phone: '13800138010', name: '法律明白人 杨春', place: '虬津村', roles: ['legal_villager'] }
];

/**
 * Loads the demo county (永修县, three townships, seven villages, six departments, one account per
 * role). With `onlyIfEmpty` it does nothing on a database that already has places. Returns whether
 * it loaded anything.
 */
export async function seedDemo(db: Db, options: { onlyIfEmpty: boolean }): Promise<boolean> {
	// One transaction: a failure part-way leaves the database as empty as it was.
	return db.transaction(async (tx) => {
		const [{ n }] = await tx.select({ n: count() }).from(places);
		if (n > 0 && options.onlyIfEmpty) return false;
		if (n > 0) throw new Error('the database already has places; the demo county is loaded only into an empty database');
		await loadDemo(tx);
		return true;
	});
}

async function loadDemo(db: Tx) {

	const ids = new Map<string, number>();
	const county = await createPlace(db, null, { name: '永修县', parentId: null });
	ids.set('永修县', county.id);
	// A self-signed 演示 certificate for the county, so every demo copy is digitally sealed.
	await ensureDemoCertificate(db, county.id);
	for (const [township, villages] of Object.entries(TOWNSHIPS)) {
		const t = await createPlace(db, null, { name: township, parentId: county.id });
		ids.set(township, t.id);
		for (const village of villages) {
			const v = await createPlace(db, null, { name: village, parentId: t.id });
			ids.set(village, v.id);
		}
	}
	const deptIds = new Map<string, number>();
	for (const name of DEMO_DEPARTMENTS) {
		const [d] = await db.insert(departments).values({ countyId: county.id, name }).returning({ id: departments.id });
		deptIds.set(name, d.id);
	}
	for (const a of DEMO_ACCOUNTS) {
		await createUser(db, null, {
			name: a.name,
			username: a.username,
			phone: a.phone,
			placeId: ids.get(a.place),
			departmentId: a.department ? deptIds.get(a.department) : null,
			roles: a.roles,
			panelistType: a.panelistType ?? null,
			password: DEMO_PASSWORD
		});
	}
	await seedDemoCases(db);
	await seedDemoMediation(db);
	await seedDemoCoverage(db);
	await seedDemoRoster(db);
	await seedDemoMeetings(db);
	await seedDemoAssessment(db);
	await seedDemoStudios(db);
}
