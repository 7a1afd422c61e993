/**
 * Retention (PIPL art. 19): the county's policy masks the personal data of matters closed long ago;
 * the dry run reports without changing anything; the run is audited and the chain stays intact.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { auditLog, caseParties, cases } from '../../src/lib/server/db/schema';
import { applyRetention, planRetention, setRetentionPolicy } from '../../src/lib/server/privacy/retention';
import { maskAddress } from '../../src/lib/utils/address';
import { maskIdNumber } from '../../src/lib/utils/id-number';
import { maskPhone } from '../../src/lib/utils/phone';
import { newCase, outcome, setUpCasework, type Casework } from './casework-fixtures';

let w: Casework;
beforeAll(async () => {
	w = await setUpCasework();
}, 180_000);
afterAll(() => w.t.destroy());

/** Ten years' policy at this moment: matters closed before 2017 are due (the fixture's own demo matters closed lately are not). */
const NOW = new Date('2027-01-01T00:00:00Z');

it('masks closed matters older than the policy, reports first in a dry run, audits the run and masks nothing twice', async () => {
	const old = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1', now: new Date('2025-01-02T02:00:00Z') });
	const recent = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1', now: new Date('2025-01-02T02:00:00Z') });
	const open = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1', now: new Date('2025-01-02T02:00:00Z') });
	await w.t.db.update(cases).set({ status: 'concluded', concludedAt: new Date('2010-03-01T00:00:00Z') }).where(eq(cases.id, old.id));
	await w.t.db.update(cases).set({ status: 'archived', concludedAt: new Date('2010-03-01T00:00:00Z'), archivedAt: new Date('2020-01-01T00:00:00Z') }).where(eq(cases.id, recent.id));
	const parties = () => w.t.db.select().from(caseParties).where(inArray(caseParties.caseId, [old.id, recent.id, open.id])).orderBy(caseParties.id);
	const before = await parties();

	expect(await planRetention(w.t.db, { now: NOW }), 'no policy, nothing due').toEqual([]);
	expect(await outcome(setRetentionPolicy(w.t.db, 'closed_case_parties', 0, w.viewers.admin.id))).toMatchObject({ code: 'invalid' });
	await setRetentionPolicy(w.t.db, 'closed_case_parties', 10, w.viewers.admin.id);

	const plan = await planRetention(w.t.db, { now: NOW });
	const oldParties = before.filter((p) => p.caseId === old.id);
	expect(plan).toEqual([{ recordType: 'closed_case_parties', years: 10, cutoff: new Date('2017-01-01T00:00:00Z'), cases: 1, parties: oldParties.length }]);
	expect(await parties(), 'the dry run changes nothing').toEqual(before);

	expect((await applyRetention(w.t.db, { now: NOW }))[0]).toMatchObject({ cases: 1, parties: oldParties.length });
	const after = await parties();
	for (const p of before) {
		const now = after.find((a) => a.id === p.id)!;
		if (p.caseId === old.id) {
			expect(now).toMatchObject({
				name: p.name,
				phone: p.phone && maskPhone(p.phone),
				idNumber: p.idNumber && maskIdNumber(p.idNumber),
				address: p.address && maskAddress(p.address),
				personalDataMaskedAt: NOW
			});
		} else expect(now).toEqual(p);
	}
	const [run] = await w.t.db.select().from(auditLog).where(and(eq(auditLog.action, 'retention.run'))).orderBy(desc(auditLog.id)).limit(1);
	expect(run.data).toMatchObject({ recordType: 'closed_case_parties', years: 10, cases: 1, parties: oldParties.length });
	expect(JSON.stringify(run.data)).not.toContain(before[0].phone ?? '-');

	expect((await applyRetention(w.t.db, { now: NOW }))[0]).toMatchObject({ cases: 0, parties: 0 });
	expect(await parties()).toEqual(after);
	expect((await verifyAuditChain(w.t.db)).ok).toBe(true);
});
