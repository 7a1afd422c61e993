import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseStatCounts } from '../../src/lib/server/db/schema';
import { checkStatCounts } from '../../src/lib/server/stats/check-counts';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** `npm run stats:check`: the kept counts against a recount, without changing either. */
let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('demo');
}, 240_000);
afterAll(() => t.destroy());

describe('checking the statistics counts', () => {
	it('finds none on the demo, then exactly the one count that was changed, and leaves it as it was', async () => {
		expect((await checkStatCounts(t.db)).total).toBe(0);
		const [one] = await t.db.select().from(caseStatCounts).where(and(eq(caseStatCounts.dim, 'total'), eq(caseStatCounts.level, 1))).limit(1);
		const same = and(
			eq(caseStatCounts.countyId, one.countyId),
			eq(caseStatCounts.level, one.level),
			eq(caseStatCounts.month, one.month),
			eq(caseStatCounts.townshipId, one.townshipId),
			eq(caseStatCounts.villageId, one.villageId),
			eq(caseStatCounts.dim, one.dim),
			eq(caseStatCounts.key, one.key)
		);
		await t.db.update(caseStatCounts).set({ n: sql`${caseStatCounts.n} + 2` }).where(same);
		const found = await checkStatCounts(t.db);
		expect(found.total).toBe(1);
		expect(found.differences[0]).toMatchObject({ countyId: one.countyId, dim: 'total', kept: one.n + 2, recounted: one.n });
		// The recount was rolled back: the wrong count is still there for whoever investigates.
		const [after] = await t.db.select({ n: caseStatCounts.n }).from(caseStatCounts).where(same);
		expect(after.n).toBe(one.n + 2);
	});
});
