import type { RequestEvent } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { auditLog, smsOutbox } from '../../src/lib/server/db/schema';
import { listSmsOutbox } from '../../src/lib/server/sms/list-sms-outbox';
import type { Viewer } from '../../src/lib/types';
import * as outboxPage from '../../src/routes/(app)/admin/outbox/+page.server';
import { routeEvent, routeOutcome } from '../support/route-event';
import { setUpPanelWorld, type PanelWorld } from './panel-fixtures';

/**
 * The development outbox holds one-time codes: only an administrator reads it, only while it stands in
 * for a provider, and every reading is in the audit log. Staff who work the case (the mediator) and the
 * party are refused.
 */
const database = vi.hoisted(() => ({ db: null as unknown }));
vi.mock('../../src/lib/server/db/index', () => ({ getDb: async () => database.db as Db }));

let w: PanelWorld;
beforeAll(async () => {
	w = await setUpPanelWorld();
	database.db = w.t.db;
	const at = new Date();
	await w.t.db.insert(smsOutbox).values([
		{ caseId: w.caseId, phone: '13900000001', body: '【评理】验证码 111111', createdAt: at },
		{ caseId: null, phone: '13900000002', body: '【评理】验证码 222222', createdAt: at }
	]);
}, 180_000);
afterAll(() => w.t.destroy());

const load = outboxPage.load as unknown as (e: RequestEvent) => unknown;
const event = (user: Viewer | null, search = '') => routeEvent(`/admin/outbox${search}`, { user });

describe('/admin/outbox', () => {
	it('is for administrators only: the case’s mediator and the party are refused, a stranger is sent to sign in', async () => {
		expect(await routeOutcome(() => load(event(null)))).toMatch(/^redirect \/login/);
		expect(await routeOutcome(() => load(event(w.viewers.mediator)))).toBe(403);
		expect(await routeOutcome(() => load(event(w.viewers.party)))).toBe(403);
		expect(await routeOutcome(() => load(event(w.viewers['tubu.supervisor'])))).toBe(403);
	});

	it('shows the messages newest first, filters by phone, and audits every reading', async () => {
		const all = (await routeOutcome(() => load(event(w.viewers.admin)))) as { messages: { body: string }[] };
		expect(all.messages.map((m) => m.body)).toEqual(['【评理】验证码 222222', '【评理】验证码 111111']);
		const one = (await routeOutcome(() => load(event(w.viewers.admin, '?phone=13900000001')))) as { phone: string; messages: { body: string }[] };
		expect(one.phone).toBe('13900000001');
		expect(one.messages.map((m) => m.body)).toEqual(['【评理】验证码 111111']);
		const views = await w.t.db.select({ data: auditLog.data }).from(auditLog).where(and(eq(auditLog.action, 'sms.outbox_view'), eq(auditLog.actorId, w.viewers.admin.id))).orderBy(auditLog.id);
		expect(views.map((v) => v.data)).toEqual([
			{ phone: null, messages: 2 },
			{ phone: '13900000001', messages: 1 }
		]);
	});

	it('does not exist while a real provider sends the messages', async () => {
		await expect(listSmsOutbox(w.t.db, w.viewers.admin, {}, { enabled: false })).rejects.toMatchObject({ code: 'not_found' });
	});
});
