import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, caseEvents, cases, departments, matterClusterCases } from '../../src/lib/server/db/schema';
import { confirmCluster } from '../../src/lib/server/stats/confirm-cluster';
import { findClusters } from '../../src/lib/server/stats/find-clusters';
import { loadMonthlyReport } from '../../src/lib/server/stats/monthly-report';
import { outcome, setUpCasework, type Casework } from './casework-fixtures';
import { matterAdder } from './stats-fixtures';

/**
 * Recurring matters on the database: a planted set of alike complaints in one village is found as one
 * cluster and nothing unrelated joins it; confirming it binds the matters to a county department, in
 * the supervisor's area only, once.
 */
let w: Casework;
let planted: number[] = [];
let departmentId: number;
const WINDOW = { period: { from: '2025-06-01', to: '2025-06-30' }, placeId: null };

beforeAll(async () => {
	w = await setUpCasework();
	const add = matterAdder(w);
	const pig = (day: string, text: string) => add({ place: '城南村', category: 'environment', channel: 'phone', registered: `2025-${day}T10:00:00`, title: '城南村养殖场污染', description: text });
	planted = [
		await pig('04-10', '村东养殖场污水直排到水渠，臭气熏天，请求整改。'),
		await pig('05-02', '反映养殖场污水排进水渠，夏天臭气很重。'),
		await pig('05-20', '养殖场的臭气和污水影响周边生活，要求整改。'),
		await pig('06-15', '村东头养殖场污水横流臭气熏天，多次反映未解决。')
	];
	// Same village and category but unrelated; the same complaint in another village; another category.
	await add({ place: '城南村', category: 'environment', channel: 'phone', registered: '2025-05-05T10:00:00', title: '夜间噪声', description: '附近工厂夜间生产噪声扰民，无法休息。' });
	await add({ place: '城南村', category: 'environment', channel: 'phone', registered: '2025-05-25T10:00:00', title: '焚烧垃圾', description: '有人在河边焚烧垃圾冒黑烟。' });
	for (const day of ['05-03', '05-13', '06-01']) {
		await add({ place: '虬津村', category: 'environment', channel: 'phone', registered: `2025-${day}T10:00:00`, title: '虬津村养殖场污染', description: '养殖场污水直排到水渠，臭气熏天。' });
	}
	await add({ place: '城南村', category: 'neighbours', channel: 'phone', registered: '2025-05-08T10:00:00', title: '养殖场', description: '养殖场污水流到邻居家门口，臭气熏天。' });
	[{ id: departmentId }] = await w.t.db.select({ id: departments.id }).from(departments).where(eq(departments.name, '县自然资源局'));
}, 240_000);
afterAll(() => w.t.destroy());

describe('recurring matters', () => {
	it('finds the planted set as one cluster in its village, over a 90-day window, without unrelated matters', async () => {
		const { window, clusters } = await findClusters(w.t.db, w.viewers['tubu.supervisor'], WINDOW);
		expect(window).toEqual({ from: '2025-04-02', to: '2025-06-30' });
		expect(clusters).toHaveLength(1);
		expect(clusters[0]).toMatchObject({ caseIds: planted, placeName: '城南村', category: { zh: '环境污染' }, firstOn: '2025-04-10', lastOn: '2025-06-15', confirmed: null });
		expect(clusters[0].monthly).toEqual([
			{ month: '2025-04', count: 1 },
			{ month: '2025-05', count: 2 },
			{ month: '2025-06', count: 1 }
		]);
		// The county sees the other village's cluster too; each stays in its own village.
		const county = await findClusters(w.t.db, w.viewers['county.supervisor'], WINDOW);
		expect(county.clusters.map((c) => [c.placeName, c.caseIds.length]).sort()).toEqual([
			['城南村', 4],
			['虬津村', 3]
		]);
	});

	it('confirms a cluster once, with a timeline entry on each matter and an audit row', async () => {
		const input = { caseIds: planted, title: '城南村养殖场污染', note: '请县生态环境局督促养殖场建设污水处理设施。', departmentId };
		expect(await outcome(confirmCluster(w.t.db, w.viewers['tubu.supervisor'], { ...input, title: ' ' }))).toEqual({ code: 'invalid', title: 'err_required' });
		expect(await outcome(confirmCluster(w.t.db, w.viewers['tubu.supervisor'], { ...input, departmentId: 999_999 }))).toEqual({ code: 'invalid', departmentId: 'stats_err_department' });
		const before = await w.t.db.$count(auditLog);
		const { id } = await confirmCluster(w.t.db, w.viewers['tubu.supervisor'], input);
		expect(await w.t.db.$count(auditLog)).toBe(before + 1);
		expect((await w.t.db.select().from(matterClusterCases).where(eq(matterClusterCases.clusterId, id))).map((r) => r.caseId).sort((a, b) => a - b)).toEqual(planted);
		expect(await w.t.db.$count(caseEvents, inArray(caseEvents.caseId, planted))).toBe(planted.length);
		expect(await outcome(confirmCluster(w.t.db, w.viewers['tubu.supervisor'], input))).toEqual({ code: 'conflict', _: 'stats_err_cluster_taken' });
		const { clusters } = await findClusters(w.t.db, w.viewers['tubu.supervisor'], WINDOW);
		expect(clusters[0].confirmed).toEqual({ id, title: '城南村养殖场污染', department: '县自然资源局' });
	});

	it('refuses matters outside the area, mixed places, and people who may not see statistics', async () => {
		const { clusters } = await findClusters(w.t.db, w.viewers['county.supervisor'], WINDOW);
		const qiujin = clusters.find((c) => c.placeName === '虬津村')!.caseIds;
		const input = { caseIds: qiujin, title: '虬津村养殖场', note: '请处理。', departmentId };
		const before = await w.t.db.$count(auditLog);
		// 虬津村 is not in 涂埠镇: as if the matters did not exist.
		expect(await outcome(confirmCluster(w.t.db, w.viewers['tubu.supervisor'], input))).toBe('not_found');
		expect(await outcome(confirmCluster(w.t.db, w.viewers['county.supervisor'], { ...input, caseIds: [...qiujin.slice(0, 2), planted[0]] }))).toEqual({ code: 'invalid', _: 'stats_err_cluster_mixed' });
		expect(await outcome(confirmCluster(w.t.db, w.viewers.villager, input))).toBe('forbidden');
		expect(await outcome(findClusters(w.t.db, w.viewers.agent, WINDOW))).toBe('forbidden');
		expect(await w.t.db.$count(auditLog)).toBe(before);
		expect(await w.t.db.$count(matterClusterCases, inArray(matterClusterCases.caseId, qiujin))).toBe(0);
	});

	it('names in the monthly report the largest clusters the search finds, built alike', async () => {
		// The report asks the search for its five only (`top`): the same clusters, in the same order.
		const search = await findClusters(w.t.db, w.viewers['county.supervisor'], WINDOW);
		const report = await loadMonthlyReport(w.t.db, w.viewers['county.supervisor'], { month: '2025-06', placeId: null });
		expect(search.clusters.length).toBeGreaterThan(1);
		expect(report.clusters).toEqual(search.clusters.slice(0, 5));
		// The examples: the three latest members, newest first, with their numbers and titles.
		const numbers = new Map((await w.t.db.select({ id: cases.id, number: cases.number }).from(cases).where(inArray(cases.id, planted))).map((r) => [r.id, r.number]));
		expect(search.clusters.find((c) => c.placeName === '城南村')!.examples).toEqual(
			[planted[3], planted[2], planted[1]].map((id, i) => ({ id, number: numbers.get(id), title: '城南村养殖场污染', registeredOn: ['2025-06-15', '2025-05-20', '2025-05-02'][i] }))
		);
		expect((await findClusters(w.t.db, w.viewers['county.supervisor'], WINDOW, { top: 1 })).clusters).toEqual(search.clusters.slice(0, 1));
	});
});
