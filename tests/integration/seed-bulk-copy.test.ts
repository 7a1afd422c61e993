import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, cases } from '../../src/lib/server/db/schema';
import { copyBatch, copyPart, reserveIds } from '../../scripts/seed-bulk-copy';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/**
 * The bulk seed's COPY writer (issue 21) against a real PostgreSQL: what goes in comes back exactly, the
 * awkward characters of the text format and names outside the BMP included. COPY FROM STDIN is a wire
 * protocol of PostgreSQL's server; the embedded database loads by a JSON statement instead, so on PGlite the
 * test is skipped (the seed never copies there).
 */
const postgresRun = process.env.TEST_DB_DRIVER === 'postgres';
let t: TestDatabase;
let client: postgres.Sql | null = null;
beforeAll(async () => {
	t = await createTestDatabase('demo');
	if (postgresRun) client = postgres(t.url!, { max: 2, onnotice: () => {} });
}, 240_000);
afterAll(async () => {
	await client?.end();
	await t.destroy();
});

describe.skipIf(!postgresRun)('the bulk seed copying rows', () => {
	it('stores every value as an insert would: tabs, newlines, backslashes, JSON, NULL, dates and 𠮷', async () => {
		const [matter] = await t.db.select({ id: cases.id }).from(cases).limit(1);
		const [id] = await reserveIds(client!, 'case_events', 1);
		const at = new Date('2026-03-04T05:06:07.089Z');
		const note = '第一行\t制表\n第二行\\反斜杠\r\n𠮷 䶮 𡈼 \\N';
		const data = { summary: 'a\tb\nc\\d "引号" 𠮷', nested: { n: 3, ok: true } };
		const rows = [
			{ id, at, actorId: null, kind: 'staff_note', note, data, public: false },
			{ id: id + 1_000_000, at, actorId: null, kind: 'staff_note', note: null, data: {}, public: true }
		];
		const part = copyPart(caseEvents, rows, { column: 'case_id', values: [matter.id, matter.id] });
		expect(part.text.split('\n')).toHaveLength(3);
		await copyBatch(client!, [part]);
		const [first] = await t.db.select().from(caseEvents).where(eq(caseEvents.id, id));
		expect(first).toMatchObject({ caseId: matter.id, at, actorId: null, kind: 'staff_note', note, data, public: false });
		const [second] = await t.db.select().from(caseEvents).where(eq(caseEvents.id, id + 1_000_000));
		expect(second).toMatchObject({ note: null, data: {}, public: true });
	});

	it('stores all of a batch or none of it', async () => {
		const [matter] = await t.db.select({ id: cases.id }).from(cases).limit(1);
		const before = await t.db.$count(caseEvents);
		const good = copyPart(caseEvents, [{ at: new Date(), kind: 'staff_note', note: '先存进去', data: {}, public: false }], { column: 'case_id', values: [matter.id] });
		// The second part names a matter that does not exist: its foreign key fails, and the first part goes too.
		const bad = copyPart(caseEvents, [{ at: new Date(), kind: 'staff_note', note: '没有这件事', data: {}, public: false }], { column: 'case_id', values: [2_000_000_000] });
		await expect(copyBatch(client!, [good, bad])).rejects.toThrow(/foreign key/);
		expect(await t.db.$count(caseEvents)).toBe(before);
	});

	it('refuses a key that is no column of the table', () => {
		expect(() => copyPart(caseEvents, [{ kind: 'staff_note', colour: 'red' }])).toThrow(/colour is not a column of case_events/);
	});
});
