import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import { departments } from '../../src/lib/server/db/schema';
import { dueState } from '../../src/lib/server/cases/clocks';
import { shanghaiDate } from '../../src/lib/server/cases/shanghai-date';
import { getCase } from '../../src/lib/server/cases/work/get-case';
import { cases } from '../../src/lib/server/db/schema';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import { newCase, outcome, setUpCasework, statusOf, type Casework } from './casework-fixtures';

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

	it('has someone to handle a matter escalated to the county: the county supervisor outside any department', async () => {
		// Only demo accounts here (the fixture's extra mediators sit in 艾城镇 and 城南村, not the county).
		const as = (who: string) => w.viewers[who];
		const move = (who: string, id: number, command: Record<string, unknown>) => transitionCase(w.t.db, as(who), id, command, { ip: '10.0.0.9' });
		const { id } = await fileCase(w.t.db, as('agent'), newCase(w.placeIds, { channel: 'agent' }), { ip: '10.0.0.9' });
		await move('tubu.supervisor', id, { type: 'escalate', reason: '村里调处不了' });
		await move('tubu.supervisor', id, { type: 'escalate', reason: '需县级部门协调' });
		expect(await statusOf(w.t, id)).toMatchObject({ placeId: w.placeIds['永修县'], status: 'registered' });

		// The admin runs the system, not the casework; the petition bureau's member acts only on what is
		// routed to the bureau; the township no longer holds the matter.
		expect(await outcome(move('admin', id, { type: 'accept' }))).toBe('not_found');
		expect(await outcome(move('supervisor', id, { type: 'accept' }))).toBe('forbidden');
		expect(await outcome(move('tubu.supervisor', id, { type: 'accept' }))).toBe('forbidden');

		const [bureau] = await w.t.db.select({ id: departments.id }).from(departments).where(eq(departments.name, '县信访局'));
		await move('county.supervisor', id, { type: 'accept' });
		await move('county.supervisor', id, { type: 'assign', departmentId: bureau.id });
		// Routed to the bureau, its member now handles it.
		await move('supervisor', id, { type: 'conclude', reason: '已协调解决', summary: '经县信访局协调，双方达成一致。' });
		await move('county.supervisor', id, { type: 'start_follow_up' });
		await move('county.supervisor', id, { type: 'archive' });
		expect(await statusOf(w.t, id)).toMatchObject({ status: 'archived', departmentId: bureau.id });
	});

	it('leaves an audit chain that verifies', async () => {
		expect((await verifyAuditChain(w.t.db)).ok).toBe(true);
	});
});
