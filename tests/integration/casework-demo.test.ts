import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueState } from '../../src/lib/server/cases/clocks';
import { shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { getCase } from '../../src/lib/server/cases/work/get-case';
import { cases } from '../../src/lib/server/db/schema';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import { setUpCasework, type Casework } from './casework-fixtures';

let w: Casework;
beforeAll(async () => {
	w = await setUpCasework();
}, 180_000);
afterAll(() => w.t.destroy());

describe('demo cases', () => {
	it('show every status, both due states, an escalation, an extension, a repeat and an agent filing', async () => {
		const rows = await w.t.db.select().from(cases);
		expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['registered', 'not_accepted', 'accepted', 'assigned', 'in_mediation', 'concluded', 'follow_up', 'archived']));
		const today = shanghaiDate(new Date());
		const states = rows.filter((r) => r.nextDueOn).map((r) => dueState(r.nextDueOn!, today));
		expect(states).toContain('due_soon');
		expect(states).toContain('overdue');
		expect(rows.some((r) => r.extensionDays === 20)).toBe(true);
		expect(rows.some((r) => r.isRepeat && r.repeatOfId)).toBe(true);
		expect(rows.some((r) => r.channel === 'agent' && r.filedById === w.viewers.agent.id)).toBe(true);
		expect(rows.some((r) => r.villageId && r.placeId === w.placeIds['涂埠镇'])).toBe(true);
		// The detail page shows the same due state the stored date gives.
		const overdue = rows.find((r) => r.nextDueOn && dueState(r.nextDueOn, today) === 'overdue')!;
		expect((await getCase(w.t.db, w.viewers['tubu.supervisor'], overdue.id)).urgent?.state).toBe('overdue');
		// The party account follows its own matters only.
		const mine = rows.filter((r) => r.title.includes('宅基地') || r.title.includes('排水'));
		for (const r of mine) expect((await getCase(w.t.db, w.viewers.party, r.id)).staffView).toBe(false);
	});

	it('leaves an audit chain that verifies', async () => {
		expect((await verifyAuditChain(w.t.db)).ok).toBe(true);
	});
});
