import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { hashQueryCode } from '../../src/lib/server/cases/intake/case-number';
import { auditLog, caseEvents, caseParties, cases, places, users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import type { Viewer } from '../../src/lib/types';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { refusalOf } from '../support/app-error';

let t: TestDatabase;
const viewers: Record<string, Viewer> = {};
const placeIds: Record<string, number> = {};

beforeAll(async () => {
	t = await createTestDatabase('demo');
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) viewers[u.username!] = (await loadViewer(t.db, u.id))!;
	for (const p of await t.db.select({ id: places.id, name: places.name }).from(places)) placeIds[p.name] = p.id;
});
afterAll(() => t.destroy());

const valid = () => ({
	channel: 'walk_in',
	categoryId: 3,
	placeId: placeIds['城南村'],
	title: '宅基地边界纠纷',
	description: '孙大伯与邻居因宅基地边界的围墙发生争执。',
	parties: [
		{ side: 'applicant', name: '孙大伯', phone: '１３９ ０７９２ ００１１', idNumber: '11010519491231002x' },
		{ side: 'respondent', name: '李某', phone: '' }
	]
});

async function counts() {
	const [[c], [p], [e], [a]] = await Promise.all([
		t.db.select({ n: count() }).from(cases),
		t.db.select({ n: count() }).from(caseParties),
		t.db.select({ n: count() }).from(caseEvents),
		t.db.select({ n: count() }).from(auditLog)
	]);
	return { cases: c.n, parties: p.n, events: e.n, audit: a.n };
}

describe('fileCase', () => {
	it('registers a matter with its parties, a public timeline entry and an audit row', async () => {
		const filed = await fileCase(t.db, viewers.mediator, valid(), { ip: '10.0.0.1' });
		expect(filed.number).toMatch(/^\d{4}-\d{6}$/);
		const [row] = await t.db.select().from(cases).where(eq(cases.id, filed.id));
		expect(row).toMatchObject({ status: 'registered', channel: 'walk_in', villageId: placeIds['城南村'], townshipId: placeIds['涂埠镇'], queryCodeHash: hashQueryCode(filed.queryCode) });
		const parties = await t.db.select().from(caseParties).where(eq(caseParties.caseId, filed.id));
		expect(parties.map((p) => [p.side, p.phone, p.idNumber])).toEqual([
			['applicant', '13907920011', '11010519491231002X'],
			['respondent', null, null]
		]);
	});

	it('records an agent filing for a resident as channel agent, filed by the agent', async () => {
		const filed = await fileCase(t.db, viewers.agent, { ...valid(), channel: 'phone' });
		const [row] = await t.db.select({ channel: cases.channel, filedById: cases.filedById }).from(cases).where(eq(cases.id, filed.id));
		expect(row).toEqual({ channel: 'agent', filedById: viewers.agent.id });
	});

	it('rejects bad input with field messages and writes nothing', async () => {
		const before = await counts();
		const bad: [object, Record<string, string>][] = [
			[{ parties: [] }, { parties: 'err_applicant_required' }],
			[{ parties: [{ side: 'respondent', name: '李某' }] }, { parties: 'err_applicant_required' }],
			[{ parties: [{ side: 'applicant', name: '孙', idNumber: '110105194912310021' }] }, { 'parties.0.idNumber': 'err_id_number_invalid' }],
			[{ parties: [{ side: 'applicant', name: '孙', phone: '１３９０７９２００１' }] }, { 'parties.0.phone': 'err_phone_invalid' }],
			[{ title: '  ' }, { title: 'err_required' }],
			[{ description: '纠'.repeat(5001) }, { description: 'err_too_long' }],
			[{ receivedAt: new Date(Date.now() + 86_400_000).toISOString() }, { receivedAt: 'err_date_in_future' }],
			[{ channel: 'telegram' }, { channel: 'err_channel_invalid' }],
			[{ categoryId: 9999 }, { categoryId: 'err_category_invalid' }],
			[{ placeId: placeIds['永修县'] }, { placeId: 'err_place_not_found' }],
			[{ repeatOfNumber: '1999-000001' }, { repeatOfNumber: 'err_repeat_not_found' }]
		];
		for (const [patch, fields] of bad) {
			expect(await refusalOf(fileCase(t.db, viewers.mediator, { ...valid(), ...patch }))).toMatchObject(fields);
		}
		expect(await counts()).toEqual(before);
	});

	it('keeps filers inside their area and refuses roles that do not file', async () => {
		const before = await counts();
		// The 城南村 agent cannot file for 虬津村; the 涂埠镇 mediator cannot file in 艾城镇.
		expect(await refusalOf(fileCase(t.db, viewers.agent, { ...valid(), placeId: placeIds['虬津村'] }))).toEqual({ placeId: 'err_place_not_found' });
		expect(await refusalOf(fileCase(t.db, viewers.mediator, { ...valid(), placeId: placeIds['艾城村'] }))).toEqual({ placeId: 'err_place_not_found' });
		expect(await refusalOf(fileCase(t.db, viewers.party, valid()))).toBe('forbidden');
		expect(await refusalOf(fileCase(t.db, viewers.admin, valid()))).toBe('forbidden');
		expect(await counts()).toEqual(before);
	});

	it('links a repeat to an earlier matter the filer may see', async () => {
		const first = await fileCase(t.db, viewers.mediator, valid());
		const again = await fileCase(t.db, viewers.mediator, { ...valid(), repeatOfNumber: first.number });
		const [row] = await t.db.select({ isRepeat: cases.isRepeat, repeatOfId: cases.repeatOfId }).from(cases).where(eq(cases.id, again.id));
		expect(row).toEqual({ isRepeat: true, repeatOfId: first.id });
		// The 虬津村 villager may not see 城南村 matters, so cannot link to one.
		expect(await refusalOf(fileCase(t.db, viewers['qiujin.villager'], { ...valid(), placeId: placeIds['虬津村'], repeatOfNumber: first.number }))).toEqual({
			repeatOfNumber: 'err_repeat_not_found'
		});
	});

	it('numbers matters per year without gaps or duplicates under concurrent filing', async () => {
		const filed = await Promise.all(Array.from({ length: 8 }, () => fileCase(t.db, viewers.mediator, valid())));
		const numbers = filed.map((f) => f.number);
		expect(new Set(numbers).size).toBe(8);
	});
});
