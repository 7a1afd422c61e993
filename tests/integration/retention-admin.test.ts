/**
 * Retention from the admin page (issue 17 §4): an administrator sees what a run would mask in their
 * own area and when it last ran, and runs it there only after ticking the confirmation; the run is
 * audited (who, from where, which area, counts). Anyone else is refused before anything is read or
 * changed; an administrator of another township masks nothing of this one; runs have a budget.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import type { Db } from '../../src/lib/server/db';
import { auditLog, caseParties, cases, rateLimits, userRoles, users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { setRetentionPolicy } from '../../src/lib/server/privacy/retention';
import { RETENTION_RUNS_PER_ADMIN } from '../../src/lib/server/privacy/retention-admin';
import type { Viewer } from '../../src/lib/types';
import * as page from '../../src/routes/(app)/admin/retention/+page.server';
import { routeEvent, routeOutcome } from '../support/route-event';
import { newCase, rowCounts, setUpCasework, type Casework } from './casework-fixtures';

const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

type Handler = (e: RequestEvent) => unknown;
const load = (user: Viewer | null) => routeOutcome(() => (page.load as Handler)(routeEvent('/admin/retention', { user })));
const run = (user: Viewer | null, form: Record<string, string>) =>
	routeOutcome(() => (page.actions.run as Handler)(routeEvent('/admin/retention?/run', { user, form, ip: '10.9.8.7' })));

let w: Casework;
let oldCaseId: number;
/** An administrator of 艾城镇, a township beside the one (涂埠镇) the old matter is in. */
let otherAdmin: Viewer;
beforeAll(async () => {
	w = await setUpCasework();
	database.db = w.t.db;
	const { id } = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1', now: new Date('2025-01-02T02:00:00Z') });
	oldCaseId = id;
	await w.t.db.update(cases).set({ status: 'concluded', concludedAt: new Date('2010-03-01T00:00:00Z') }).where(eq(cases.id, id));
	const [u] = await w.t.db.insert(users).values({ name: '艾城镇管理员', username: 'aicheng.admin', passwordHash: 'unused', placeId: w.placeIds['艾城镇'] }).returning({ id: users.id });
	await w.t.db.insert(userRoles).values({ userId: u.id, role: 'admin' });
	otherAdmin = (await loadViewer(w.t.db, u.id))!;
}, 180_000);
afterAll(() => w.t.destroy());

const oldParties = () => w.t.db.select().from(caseParties).where(eq(caseParties.caseId, oldCaseId));

it('refuses everyone but an administrator, before reading or changing anything', async () => {
	const before = await rowCounts(w.t);
	expect(await load(null)).toBe('redirect /login?next=%2Fadmin%2Fretention');
	for (const who of ['mediator', 'supervisor', 'county.supervisor', 'party']) {
		expect(await load(w.viewers[who]), who).toBe(403);
		expect(await run(w.viewers[who], { confirm: 'on' }), who).toBe(403);
	}
	expect(await run(null, { confirm: 'on' })).toBe(401);
	expect(await rowCounts(w.t)).toEqual(before);
	expect((await oldParties()).every((p) => p.personalDataMaskedAt === null)).toBe(true);
});

it('shows the policy, what is due in the area and that it never ran; a run without the confirmation changes nothing', async () => {
	let data = (await load(w.viewers.admin)) as { overview: { policies: unknown[]; due: unknown[]; lastRun: unknown } };
	expect(data.overview).toMatchObject({ policies: [], due: [], lastRun: null });

	await setRetentionPolicy(w.t.db, 'closed_case_parties', 10, w.viewers.admin.id);
	const parties = (await oldParties()).length;
	data = (await load(w.viewers.admin)) as typeof data;
	expect(data.overview.policies).toMatchObject([{ recordType: 'closed_case_parties', years: 10 }]);
	expect(data.overview.due).toMatchObject([{ recordType: 'closed_case_parties', cases: 1, parties }]);
	// The other township's administrator sees nothing due in theirs.
	expect(((await load(otherAdmin)) as typeof data).overview.due).toMatchObject([{ cases: 0, parties: 0 }]);

	const before = await rowCounts(w.t);
	expect(await run(w.viewers.admin, {})).toMatchObject({ status: 400, action: 'run', message: 'wd_err_confirm', fields: { confirm: 'wd_err_confirm' } });
	expect(await rowCounts(w.t)).toEqual(before);
	expect((await oldParties()).every((p) => p.personalDataMaskedAt === null)).toBe(true);
});

it('an administrator of another township masks nothing here; the county administrator masks what is due, audited', async () => {
	const parties = (await oldParties()).length;
	expect(await run(otherAdmin, { confirm: 'on' })).toMatchObject({ action: 'run', done: 'rt_done', doneParams: { cases: 0, parties: 0 } });
	expect((await oldParties()).every((p) => p.personalDataMaskedAt === null)).toBe(true);

	expect(await run(w.viewers.admin, { confirm: 'on' })).toMatchObject({ action: 'run', done: 'rt_done', doneParams: { cases: 1, parties } });
	const masked = await oldParties();
	expect(masked.every((p) => p.personalDataMaskedAt !== null)).toBe(true);
	expect(masked.every((p) => p.phone === null || p.phone.startsWith('*'))).toBe(true);
	const [row] = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'retention.run')).orderBy(desc(auditLog.id)).limit(1);
	expect(row).toMatchObject({ actorId: w.viewers.admin.id, ip: '10.9.8.7', data: { cases: 1, parties, placeId: w.viewers.admin.place.id } });

	const data = (await load(w.viewers.admin)) as { overview: { due: unknown[]; lastRun: unknown } };
	expect(data.overview.due).toMatchObject([{ cases: 0, parties: 0 }]);
	expect(data.overview.lastRun).toMatchObject({ by: w.viewers.admin.name, cases: 1, parties, ownArea: true });
	expect(((await load(otherAdmin)) as typeof data).overview.lastRun).toMatchObject({ ownArea: false });
	expect((await verifyAuditChain(w.t.db)).ok).toBe(true);
});

it('runs have a budget per administrator', async () => {
	await w.t.db.delete(rateLimits).where(inArray(rateLimits.key, [`retention-run:${w.viewers.admin.id}`]));
	for (let i = 0; i < RETENTION_RUNS_PER_ADMIN.max; i++) expect(await run(w.viewers.admin, { confirm: 'on' })).toMatchObject({ done: 'rt_done' });
	const runs = await w.t.db.select().from(auditLog).where(and(eq(auditLog.action, 'retention.run'), eq(auditLog.actorId, w.viewers.admin.id)));
	expect(await run(w.viewers.admin, { confirm: 'on' })).toMatchObject({ status: 429, message: 'rt_err_limited' });
	expect(await w.t.db.select().from(auditLog).where(and(eq(auditLog.action, 'retention.run'), eq(auditLog.actorId, w.viewers.admin.id)))).toHaveLength(runs.length);
});
