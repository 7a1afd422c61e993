import { eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreements, agreementTerms, caseParties, cases } from '../../src/lib/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/**
 * Deleting a matter takes its parties, agreement, terms and signatures with it. (A term's obligor and a
 * signature's party once restricted the deletion of their party, which made a matter with an agreement
 * impossible to delete at all: a restricting reference is checked before the agreement's own cascade.)
 */
let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase('demo');
}, 240_000);
afterAll(() => t.destroy());

describe('deleting around an agreement', () => {
	it('deletes a whole matter with its agreement', async () => {
		const [term] = await t.db.select({ id: agreementTerms.id, obligor: agreementTerms.obligorPartyId, agreementId: agreementTerms.agreementId }).from(agreementTerms).where(isNotNull(agreementTerms.obligorPartyId)).limit(1);
		expect(term).toBeDefined();
		const [{ caseId }] = await t.db.select({ caseId: agreements.caseId }).from(agreements).where(eq(agreements.id, term.agreementId));
		await t.db.delete(cases).where(eq(cases.id, caseId));
		expect(await t.db.$count(agreements, eq(agreements.id, term.agreementId))).toBe(0);
		expect(await t.db.$count(agreementTerms, eq(agreementTerms.id, term.id))).toBe(0);
		expect(await t.db.$count(caseParties, eq(caseParties.caseId, caseId))).toBe(0);
	});
});
