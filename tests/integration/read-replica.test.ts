/**
 * Reads that tolerate lag go to a read replica (issue 21 §3), against a real streaming standby: the
 * standby is made with `pg_basebackup -R` from the test PostgreSQL server (tests/support/pg-standby.ts)
 * and named in DATABASE_READ_URL. With the standby's replay paused, a matter filed on the primary is
 * missing from the dashboard (served by the standby) and present for a browser that has just written
 * (its reads stay on the primary); the standby refuses a write, and an export reads there while its
 * audit row is written on the primary. Unset, DATABASE_READ_URL changes nothing (the route tests on
 * PGlite all run without it).
 */
import type { RequestEvent } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { auditLog, places, users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import type { Viewer } from '../../src/lib/types';
import { startStandby, type Standby } from '../support/pg-standby';
import { routeEvent, routeOutcome, type CookieJar } from '../support/route-event';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { newCase } from './casework-fixtures';

// The PGlite project has no server to stream from; the integration-pg project runs this file.
const postgresRun = process.env.TEST_DB_DRIVER === 'postgres';

type Handler = (e: RequestEvent) => unknown;
type Modules = {
	stats: { load: unknown };
	exportCsv: { GET: unknown };
	rw: typeof import('../../src/lib/server/http/read-your-writes');
	db: typeof import('../../src/lib/server/db');
};

describe.runIf(postgresRun)('with DATABASE_READ_URL naming a streaming standby', () => {
	let t: TestDatabase;
	let standby: Standby;
	let m: Modules;
	let supervisor: Viewer;
	let mediator: Viewer;
	const placeIds: Record<string, number> = {};

	beforeAll(async () => {
		t = await createTestDatabase('demo');
		standby = await startStandby(process.env.TEST_DATABASE_URL!);
		// The app's configuration is read once, when its modules load: set it, then load fresh copies.
		process.env.DATABASE_URL = t.url!;
		process.env.DATABASE_READ_URL = standby.urlFor(t.url!);
		vi.resetModules();
		m = {
			stats: await import('../../src/routes/(app)/stats/+page.server'),
			exportCsv: await import('../../src/routes/(app)/stats/export.csv/+server'),
			rw: await import('../../src/lib/server/http/read-your-writes'),
			db: await import('../../src/lib/server/db')
		};
		for (const p of await t.db.select({ id: places.id, name: places.name }).from(places)) placeIds[p.name] = p.id;
		const id = async (username: string) => (await t.db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0].id;
		supervisor = (await loadViewer(t.db, await id('supervisor')))!;
		mediator = (await loadViewer(t.db, await id('mediator')))!;
		await standby.caughtUp();
	}, 180_000);

	afterAll(async () => {
		await m?.db.closeDatabase();
		await standby?.stop();
		await t?.destroy();
		delete process.env.DATABASE_URL;
		delete process.env.DATABASE_READ_URL;
	});

	const dashboardTotal = async (cookies: CookieJar = new Map()) => {
		const data = (await routeOutcome(() => (m.stats.load as Handler)(routeEvent('/stats', { user: supervisor, cookies })))) as { dashboard: { intake: { total: number } } };
		return data.dashboard.intake.total;
	};

	it('serves the dashboard from the standby, and from the primary to a browser that has just written', async () => {
		const before = await dashboardTotal();
		await standby.pauseReplay();
		try {
			await fileCase(t.db, mediator, newCase(placeIds), { ip: '10.0.0.1' });
			// The standby stands still: the dashboard read there does not see the new matter.
			expect(await dashboardTotal()).toBe(before);
			// A write request leaves the cookie…
			const cookies: CookieJar = new Map();
			await m.rw.handleReadYourWrites({ event: routeEvent('/cases/new', { user: mediator, form: { a: 'b' }, cookies }), resolve: async () => new Response('') } as never);
			expect(cookies.get(m.rw.WROTE_COOKIE)).toBe('1');
			// …and while it lasts this browser reads the primary, which has it.
			expect(await dashboardTotal(cookies)).toBe(before + 1);
		} finally {
			await standby.resumeReplay();
		}
		await standby.caughtUp();
		expect(await dashboardTotal()).toBe(before + 1);
	});

	it('a write is refused by the standby and done on the primary: an export reads there and audits here', async () => {
		const replica = await m.db.getReadDb(false);
		expect(replica).not.toBe(await m.db.getDb());
		const row = { kind: 'village' as const, name: '备库村', parentId: placeIds['涂埠镇'] };
		const refused = await replica.insert(places).values(row).then(
			() => null,
			(err: Error & { cause?: Error }) => err.cause?.message ?? err.message
		);
		expect(refused).toMatch(/read-only transaction/);
		// The same write through the primary is done, and reaches the standby.
		await (await m.db.getDb()).insert(places).values(row);
		await standby.caughtUp();
		expect(await replica.select().from(places).where(eq(places.name, '备库村'))).toHaveLength(1);

		const answer = (await (m.exportCsv.GET as Handler)(routeEvent('/stats/export.csv?table=place', { user: supervisor, ip: '10.2.3.4' }))) as Response;
		expect(answer.status).toBe(200);
		const audited = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'stats.export'), eq(auditLog.ip, '10.2.3.4')));
		expect(audited).toHaveLength(1);
	});
});
