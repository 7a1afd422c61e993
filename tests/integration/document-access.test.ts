import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { caseParties, cases, mediationSessions, panelMembers, places, users } from '../../src/lib/server/db/schema';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { documentAccess } from '../../src/lib/server/start-collab';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import type { Viewer } from '../../src/lib/types';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
const v: Record<string, Viewer> = {};
let caseId: number;
let sessionId: number;
const access = (who: string, doc = recordDocName(sessionId)) => documentAccess(t.db, v[who], doc);

beforeAll(async () => {
	t = await createTestDatabase('demo');
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) v[u.username!] = (await loadViewer(t.db, u.id))!;
	const [village] = await t.db.select({ id: places.id }).from(places).where(eq(places.name, '城南村'));
	const filed = await fileCase(t.db, v.villager, {
		channel: 'walk_in',
		categoryId: 3,
		placeId: village.id,
		title: '宅基地边界纠纷',
		description: '围墙越界',
		parties: [{ side: 'applicant', name: '孙大伯' }]
	});
	caseId = filed.id;
	await t.db.update(caseParties).set({ userId: v.party.id }).where(eq(caseParties.caseId, caseId));
	const [s] = await t.db
		.insert(mediationSessions)
		.values({ caseId, seq: 1, scheduledAt: new Date(), location: '城南村调解室', createdById: v.mediator.id })
		.returning({ id: mediationSessions.id });
	sessionId = s.id;
});
afterAll(() => t.destroy());

describe('record access', () => {
	it('lets the area mediator edit and parties and supervisors read', async () => {
		expect(await access('mediator')).toBe('write');
		expect(await access('party')).toBe('read');
		expect(await access('supervisor')).toBe('read');
		expect(await access('villager')).toBe('read');
	});

	it('gives nothing to people who may not see the case, or for unknown documents', async () => {
		expect(await access('qiujin.villager')).toBeNull();
		expect(await access('panelist')).toBeNull();
		expect(await access('admin')).toBeNull();
		expect(await access('mediator', 'record:999999')).toBeNull();
		expect(await access('mediator', 'agreement:1')).toBeNull();
	});

	it('lets a panel member edit once they declare no conflict, and shuts out one who recuses', async () => {
		// The 虬津村 villager sits on the panel: outside their place, yet they see the case.
		await t.db.insert(panelMembers).values({
			caseId,
			userId: v['qiujin.villager'].id,
			memberType: 'legal_villager',
			invitedById: v.mediator.id,
			invitedAt: new Date(),
			partiesConsent: '双方当事人当面同意'
		});
		expect(await access('qiujin.villager')).toBe('read');
		await t.db.update(panelMembers).set({ conflict: 'no_conflict', declaredAt: new Date() }).where(eq(panelMembers.caseId, caseId));
		expect(await access('qiujin.villager')).toBe('write');
		await t.db.update(panelMembers).set({ conflict: 'recused' }).where(eq(panelMembers.caseId, caseId));
		expect(await access('qiujin.villager')).toBeNull();
		await t.db.update(panelMembers).set({ conflict: 'no_conflict', removedAt: new Date() }).where(eq(panelMembers.caseId, caseId));
		expect(await access('qiujin.villager')).toBeNull();
	});

	it('makes a cancelled session read-only', async () => {
		await t.db.update(mediationSessions).set({ status: 'cancelled' }).where(eq(mediationSessions.id, sessionId));
		expect(await access('mediator')).toBe('read');
		await t.db.update(mediationSessions).set({ status: 'scheduled' }).where(eq(mediationSessions.id, sessionId));
		await t.db.update(cases).set({ mediatorId: null }).where(eq(cases.id, caseId));
	});
});
