import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { getCase } from '../../src/lib/server/cases/work/get-case';
import { revealPersonalData } from '../../src/lib/server/privacy/reveal-personal-data';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import { auditLog, caseParties } from '../../src/lib/server/db/schema';
import { newCase, outcome, rowCounts, setUpCasework, type Casework } from './casework-fixtures';

let w: Casework;
beforeAll(async () => {
	w = await setUpCasework();
}, 180_000);
afterAll(() => w.t.destroy());

/** Monday 2 March 2026, 10:00 in China: the route and notify clocks end on 17 March. */
const T0 = new Date('2026-03-02T02:00:00Z');
const at = (date: string) => new Date(`${date}T10:00:00+08:00`);

describe('getCase', () => {
	it('shows parties masked, who filed for whom, and due states computed at view time', async () => {
		const { id } = await fileCase(w.t.db, w.viewers.agent, newCase(w.placeIds, { channel: 'phone' }), { ip: '10.0.0.1', now: T0 });
		const detail = await getCase(w.t.db, w.viewers.mediator, id, { now: at('2026-03-05') });
		expect(detail).toMatchObject({
			status: 'registered',
			channel: 'agent',
			filedBy: { name: '代办员 吴小红', roles: ['agent'] },
			originTrail: ['永修县', '涂埠镇', '城南村'],
			handlingTrail: ['永修县', '涂埠镇', '城南村'],
			category: { nameZh: expect.any(String) },
			maySeeFullPersonalData: true,
			staffView: true
		});
		expect(detail.parties.map((p) => [p.side, p.name, p.phoneMasked, p.idNumberMasked])).toEqual([
			['applicant', '孙大伯', '*******0011', '1101**********002X'],
			['respondent', '李某', '*******0022', null]
		]);
		// Nothing in the page data carries the full numbers.
		expect(JSON.stringify(detail)).not.toMatch(/13907920011|11010519491231002X|城南村三组/);
		expect(detail.due.map((d) => [d.clock, d.due, d.state])).toEqual([
			['routeBy', '2026-03-17', 'ok'],
			['notifyBy', '2026-03-17', 'ok']
		]);
		expect((await getCase(w.t.db, w.viewers.mediator, id, { now: at('2026-03-15') })).urgent).toMatchObject({ due: '2026-03-17', state: 'due_soon' });
		expect((await getCase(w.t.db, w.viewers.mediator, id, { now: at('2026-03-18') })).urgent).toMatchObject({ due: '2026-03-17', state: 'overdue' });
		expect(detail.allowed).toEqual(expect.arrayContaining(['accept', 'reject', 'escalate']));
		// A matter filed at the township cannot be returned down: it arose there.
		const township = await fileCase(w.t.db, w.viewers['tubu.supervisor'], newCase(w.placeIds, { placeId: w.placeIds['涂埠镇'] }), { ip: '10.0.0.1', now: T0 });
		const atTownship = await getCase(w.t.db, w.viewers['tubu.supervisor'], township.id, { now: at('2026-03-03') });
		expect(atTownship.allowed).toContain('escalate');
		expect(atTownship.allowed).not.toContain('return_down');
	});

	it('lists only the actions the viewer may take, and hides staff notes from parties', async () => {
		const { id } = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1', now: T0 });
		await w.t.db.update(caseParties).set({ userId: w.viewers.party.id }).where(and(eq(caseParties.caseId, id), eq(caseParties.side, 'applicant')));
		await transitionCase(w.t.db, w.viewers.mediator, id, { type: 'accept', note: '内部：当事人情绪激动，注意方式' }, { ip: '10.0.0.1', now: at('2026-03-03') });

		const staff = await getCase(w.t.db, w.viewers.mediator, id, { now: at('2026-03-04') });
		expect(staff.timeline.map((e) => [e.kind, e.public, e.note])).toEqual([
			['filed', true, null],
			['accept', true, null],
			['staff_note', false, '内部：当事人情绪激动，注意方式']
		]);
		await transitionCase(w.t.db, w.viewers.mediator, id, { type: 'assign', mediatorId: w.viewers.mediator.id, handleBy: '2026-04-01' }, { ip: '10.0.0.1', now: at('2026-03-04') });
		const routed = await getCase(w.t.db, w.viewers.mediator, id, { now: at('2026-03-04') });
		// Staff see where it went and to whom, by name.
		expect(routed.timeline.at(-1)).toMatchObject({ kind: 'staff_note', public: false, details: { mediator: '调解员 王秀英', department: null, handleBy: '2026-04-01' } });
		expect((await getCase(w.t.db, w.viewers.party, id)).timeline.every((e) => e.public && e.details === null)).toBe(true);
		expect(staff.targets?.chain.map((p) => p.name)).toEqual(['永修县', '涂埠镇', '城南村']);
		expect(staff.targets?.mediators.map((m) => m.name)).toContain('调解员 王秀英');
		expect(staff.targets?.mediators.map((m) => m.name)).not.toContain('测试 aicheng.mediator');

		const party = await getCase(w.t.db, w.viewers.party, id, { now: at('2026-03-04') });
		expect(party.staffView).toBe(false);
		expect(party.timeline.map((e) => e.kind)).toEqual(['filed', 'accept', 'assign']);
		expect(party.allowed).toEqual([]);
		expect(party.targets).toBeNull();
		expect(party.maySeeFullPersonalData).toBe(false);

		const villager = await getCase(w.t.db, w.viewers.villager, id, { now: at('2026-03-04') });
		expect(villager.allowed).toEqual([]);

		for (const who of ['qiujin.villager', 'grid', 'agent', 'panelist', 'admin', 'aicheng.mediator']) {
			expect(await outcome(getCase(w.t.db, w.viewers[who], id))).toBe('not_found');
		}
	});
});

describe('revealPersonalData', () => {
	it('shows a party’s phone and ID number in full to roles that need them, each view audited', async () => {
		const { id } = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1', now: T0 });
		const detail = await getCase(w.t.db, w.viewers.mediator, id);
		const [applicant, respondent] = detail.parties;

		// No purpose, or "other" without a note: refused, and nothing recorded or shown.
		const before = await rowCounts(w.t);
		expect(await outcome(revealPersonalData(w.t.db, w.viewers.mediator, id, { partyId: applicant.id }))).toEqual({ code: 'invalid', purpose: 'pi_err_purpose' });
		expect(await outcome(revealPersonalData(w.t.db, w.viewers.mediator, id, { partyId: applicant.id, purpose: 'curiosity' }))).toEqual({ code: 'invalid', purpose: 'pi_err_purpose' });
		expect(await outcome(revealPersonalData(w.t.db, w.viewers.mediator, id, { partyId: applicant.id, purpose: 'other', note: '  ' }))).toEqual({ code: 'invalid', note: 'pi_err_note_needed' });
		expect(await rowCounts(w.t)).toEqual(before);

		expect(await revealPersonalData(w.t.db, w.viewers.mediator, id, { partyId: String(applicant.id), purpose: 'service' }, { ip: '10.9.9.9' })).toEqual({
			partyId: applicant.id,
			phone: '13907920011',
			idNumber: '11010519491231002X',
			address: '城南村三组'
		});
		expect(applicant.addressMasked).toBe('城****');
		const [row] = await w.t.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
		expect(row).toMatchObject({
			action: 'case.personal_data_view',
			actorId: w.viewers.mediator.id,
			subjectType: 'case',
			subjectId: String(id),
			ip: '10.9.9.9',
			data: { partyId: applicant.id, fields: ['phone', 'idNumber', 'address'], purpose: 'service' }
		});
		await revealPersonalData(w.t.db, w.viewers['tubu.supervisor'], id, { partyId: respondent.id, purpose: 'other', note: '复核来电人身份' });
		const [second] = await w.t.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
		expect(second.data).toEqual({ partyId: respondent.id, fields: ['phone'], purpose: 'other', note: '复核来电人身份' });
	});

	it('refuses roles without the right and cases or parties out of reach, recording nothing', async () => {
		const { id } = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1', now: T0 });
		const other = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds), { ip: '10.0.0.1', now: T0 });
		const [party] = (await getCase(w.t.db, w.viewers.mediator, id)).parties;
		const [otherParty] = (await getCase(w.t.db, w.viewers.mediator, other.id)).parties;
		const before = await rowCounts(w.t);
		// They see the case, but not the full numbers.
		for (const who of ['villager', 'advisor', 'agent', 'party']) {
			expect(await outcome(revealPersonalData(w.t.db, w.viewers[who], id, { partyId: party.id, purpose: 'identity' }))).toBe('forbidden');
		}
		// A mediator of another township cannot see the case at all.
		expect(await outcome(revealPersonalData(w.t.db, w.viewers['aicheng.mediator'], id, { partyId: party.id, purpose: 'identity' }))).toBe('not_found');
		// A party of another case, under this case's id.
		expect(await outcome(revealPersonalData(w.t.db, w.viewers.mediator, id, { partyId: otherParty.id, purpose: 'identity' }))).toBe('not_found');
		expect(await rowCounts(w.t)).toEqual(before);
	});
});
