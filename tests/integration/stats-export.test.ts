import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { auditLog, caseParties } from '../../src/lib/server/db/schema';
import type { Viewer } from '../../src/lib/types';
import * as caseExport from '../../src/routes/(app)/cases/export.csv/+server';
import * as caseList from '../../src/routes/(app)/cases/+page.server';
import { setUpCasework, type Casework } from './casework-fixtures';
import { matterAdder } from './stats-fixtures';
import { routeEvent } from '../support/route-event';

/**
 * The case list as CSV: what Excel needs (BOM, Chinese intact, formulas as text), the viewer's scope
 * and the list's masking, and an audit row per export.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
// getReadDb: these routes' lag-tolerant reads (http/read-your-writes.ts); one database here.
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db, getReadDb: async () => database.db as Db }));

let w: Casework;
let formulaCase: number;
beforeAll(async () => {
	w = await setUpCasework();
	database.db = w.t.db;
	const add = matterAdder(w);
	formulaCase = await add({ place: '城南村', category: 'debt', channel: 'walk_in', registered: '2024-05-06T09:00:00', title: '=1+1', description: '标题是公式的事项' });
	await w.t.db.insert(caseParties).values({ caseId: formulaCase, side: 'applicant', name: '孙大伯', phone: '13907920011', idNumber: '11010519491231002X' });
	await add({ place: '虬津村', category: 'debt', channel: 'walk_in', registered: '2024-05-07T09:00:00', title: '虬津村的借款纠纷' });
}, 240_000);
afterAll(() => w.t.destroy());

const GET = caseExport.GET as unknown as (e: RequestEvent) => Promise<Response>;
function event(user: Viewer | null, query: string): RequestEvent {
	return routeEvent(`/cases/export.csv?${query}`, { user });
}
async function csvOf(user: Viewer, query: string): Promise<string> {
	const bytes = new Uint8Array(await (await GET(event(user, query))).arrayBuffer());
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	return new TextDecoder().decode(bytes);
}

describe('the case list as CSV', () => {
	it('keeps Chinese, writes "=1+1" as text and masks the applicant, with an audit row', async () => {
		const before = await w.t.db.$count(auditLog);
		const csv = await csvOf(w.viewers['county.supervisor'], 'from=2024-05-01&to=2024-05-31');
		const lines = csv.trim().split('\r\n');
		expect(lines[0]).toBe('案件编号,标题,纠纷类别,来源渠道,办理状态,发生地,登记日期,下一期限,办理期限,重复信访,申请人');
		expect(lines).toHaveLength(3);
		const row = lines.find((l) => l.includes('公式') || l.includes("'=1+1"))!;
		expect(row).toContain(",'=1+1,");
		expect(row).toContain('债务纠纷');
		expect(row).toContain('孙**');
		expect(csv).not.toContain('13907920011');
		expect(csv).not.toContain('11010519491231002X');
		const [audit] = await w.t.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
		expect(await w.t.db.$count(auditLog)).toBe(before + 1);
		expect(audit).toMatchObject({ action: 'stats.export', actorId: w.viewers['county.supervisor'].id });
	});

	it('exports only what the viewer may see', async () => {
		const township = await csvOf(w.viewers['tubu.supervisor'], 'from=2024-05-01&to=2024-05-31');
		expect(township).toContain("'=1+1");
		expect(township).not.toContain('虬津村的借款纠纷');
		// Panelists and admins have no case list, so no export either.
		for (const name of ['panelist', 'admin']) {
			try {
				await GET(event(w.viewers[name], ''));
				expect.unreachable(name);
			} catch (err) {
				expect(isHttpError(err) && err.status, name).toBe(403);
			}
		}
	});

	it('is refused to a party and the community helpers, who are not offered it either; staff are', async () => {
		const before = await w.t.db.$count(auditLog);
		const load = caseList.load as unknown as (e: RequestEvent) => Promise<{ exportHref: string | null }>;
		for (const name of ['party', 'agent', 'grid', 'villager']) {
			await expect(GET(event(w.viewers[name], '')), name).rejects.toSatisfy((err) => isHttpError(err) && err.status === 403);
			expect((await load(event(w.viewers[name], ''))).exportHref, name).toBeNull();
		}
		expect(await w.t.db.$count(auditLog)).toBe(before);
		for (const name of ['mediator', 'tubu.supervisor', 'advisor']) {
			expect((await load(event(w.viewers[name], ''))).exportHref, name).toMatch(/^\/cases\/export\.csv\?/);
		}
		expect((await GET(event(w.viewers.mediator, ''))).status).toBe(200);
	});
});
