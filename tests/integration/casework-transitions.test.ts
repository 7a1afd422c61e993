import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodEnd } from '../../src/lib/server/cases/clocks';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import { auditLog, caseEvents, departments } from '../../src/lib/server/db/schema';
import { AppError } from '../../src/lib/server/errors';
import { newCase, outcome, rowCounts, setUpCasework, statusOf, type Casework } from './casework-fixtures';

let w: Casework;
beforeAll(async () => {
	w = await setUpCasework();
}, 180_000);
afterAll(() => w.t.destroy());

/** Monday 2 March 2026, 10:00 in China. */
const T0 = new Date('2026-03-02T02:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

const file = (who = 'mediator', patch: Record<string, unknown> = {}, now = T0) => fileCase(w.t.db, w.viewers[who], newCase(w.placeIds, patch), { ip: '10.0.0.1', now });
const move = (who: string, id: number | string, command: Record<string, unknown>, now = day(1)) => transitionCase(w.t.db, w.viewers[who], id, command, { ip: '10.0.0.2', now });

async function timeline(id: number) {
	return w.t.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(asc(caseEvents.at), asc(caseEvents.id));
}
async function audits(id: number) {
	return w.t.db
		.select({ action: auditLog.action, data: auditLog.data, actorId: auditLog.actorId })
		.from(auditLog)
		.where(and(eq(auditLog.subjectType, 'case'), eq(auditLog.subjectId, String(id))))
		.orderBy(asc(auditLog.id));
}

describe('transitionCase: the loop', () => {
	it('runs registered → accepted → assigned → in mediation → concluded → follow-up → archived, with timeline, audit and due dates', async () => {
		const { id } = await file();
		const filed = await statusOf(w.t, id);
		// Registration sets the route and notify clocks (art. 22/23: 15 days, not counting the day itself).
		expect(filed).toMatchObject({ status: 'registered', routeDueOn: '2026-03-17', nextDueOn: '2026-03-17', concludeDueOn: null });

		const mediator = w.viewers.mediator;
		const steps: [string, Record<string, unknown>, string][] = [
			['accept', { note: '材料齐全' }, 'accepted'],
			['assign', { mediatorId: mediator.id, handleBy: '2026-04-10', note: '由王秀英调解' }, 'assigned'],
			['start_mediation', {}, 'in_mediation'],
			['conclude', { reason: '调解成功', summary: '双方同意重新确定界线，各退半米。' }, 'concluded'],
			['start_follow_up', {}, 'follow_up'],
			['archive', {}, 'archived']
		];
		for (const [i, [type, fields, to]] of steps.entries()) {
			expect(await move('mediator', id, { type, ...fields }, day(i + 1))).toMatchObject({ transition: type, to });
			if (type === 'accept') {
				// Acceptance starts the 60-day conclusion clock (art. 34); the route clock still runs.
				const row = await statusOf(w.t, id);
				expect(row.concludeDueOn).toBe(periodEnd(day(1), 60));
				expect(row.nextDueOn).toBe('2026-03-17');
			}
		}
		const row = await statusOf(w.t, id);
		expect(row).toMatchObject({ status: 'archived', mediatorId: mediator.id, conclusionReason: '调解成功', conclusionSummary: '双方同意重新确定界线，各退半米。', nextDueOn: null });
		expect(row.acceptedAt).toEqual(day(1));
		expect(row.assignedAt).toEqual(day(2));
		expect(row.concludedAt).toEqual(day(4));
		expect(row.archivedAt).toEqual(day(6));
		expect(row.lastActivityAt).toEqual(day(6));

		const events = await timeline(id);
		// One public step per transition; staff-only notes and routing details in separate non-public rows.
		expect(events.filter((e) => e.public).map((e) => [e.kind, e.fromStatus, e.toStatus])).toEqual([
			['filed', null, 'registered'],
			['accept', 'registered', 'accepted'],
			['assign', 'accepted', 'assigned'],
			['start_mediation', 'assigned', 'in_mediation'],
			['conclude', 'in_mediation', 'concluded'],
			['start_follow_up', 'concluded', 'follow_up'],
			['archive', 'follow_up', 'archived']
		]);
		const internal = events.filter((e) => !e.public);
		expect(internal.map((e) => [e.kind, e.note])).toEqual([
			['staff_note', '材料齐全'],
			['staff_note', '由王秀英调解']
		]);
		expect(internal[1].data).toMatchObject({ transition: 'assign', mediatorId: mediator.id, handleBy: '2026-04-10', actedAs: 'mediator' });
		// Internal notes never reach a public row; the conclusion is told to the petitioner.
		expect(events.filter((e) => e.public).map((e) => e.note)).toEqual([null, null, null, null, '调解成功', null, null]);

		expect((await audits(id)).map((a) => [a.action, (a.data as { transition?: string }).transition, (a.data as { to?: string }).to])).toEqual([
			['case.file', undefined, undefined],
			['case.transition', 'accept', 'accepted'],
			['case.transition', 'assign', 'assigned'],
			['case.transition', 'start_mediation', 'in_mediation'],
			['case.transition', 'conclude', 'concluded'],
			['case.transition', 'start_follow_up', 'follow_up'],
			['case.transition', 'archive', 'archived']
		]);
	});

	it('refuses without a reason and records the refusal with it', async () => {
		const { id } = await file();
		const before = await rowCounts(w.t);
		expect(await outcome(move('tubu.supervisor', id, { type: 'reject', reason: '   ' }))).toEqual({ code: 'invalid', reason: 'err_reason' });
		expect(await rowCounts(w.t)).toEqual(before);

		await move('tubu.supervisor', id, { type: 'reject', reason: '不属于调解受理范围，请向法院起诉。' });
		const row = await statusOf(w.t, id);
		expect(row).toMatchObject({ status: 'not_accepted', rejectReason: '不属于调解受理范围，请向法院起诉。', nextDueOn: null, routeDueOn: null });
		const [, step] = await timeline(id);
		// The reason is the written notice of art. 23: public.
		expect(step).toMatchObject({ kind: 'reject', public: true, note: '不属于调解受理范围，请向法院起诉。' });
		// Only archiving remains.
		expect(await outcome(move('tubu.supervisor', id, { type: 'accept' }))).toEqual({ code: 'conflict', _: 'err_wrong_state' });
		expect(await move('tubu.supervisor', id, { type: 'archive' })).toMatchObject({ to: 'archived' });
	});

	it('escalates village → township → county and returns down only along the origin chain', async () => {
		const { id } = await file('villager');
		const { placePaths, placeIds } = w;
		expect((await statusOf(w.t, id)).placePath).toBe(placePaths['城南村']);

		await move('chengnan.mediator', id, { type: 'accept' });
		await move('chengnan.mediator', id, { type: 'assign', mediatorId: w.viewers['chengnan.mediator'].id });
		await move('chengnan.mediator', id, { type: 'escalate', reason: '涉及两村土地，村里调不了' }, day(2));
		let row = await statusOf(w.t, id);
		// Escalation hands the case to the parent, which decides afresh: routing cleared, acceptance kept.
		expect(row).toMatchObject({ placeId: placeIds['涂埠镇'], placePath: placePaths['涂埠镇'], status: 'accepted', mediatorId: null, villageId: placeIds['城南村'] });
		expect(row.acceptedAt).toEqual(day(1));
		// The village mediator can no longer move it.
		expect(await outcome(move('chengnan.mediator', id, { type: 'escalate', reason: '再上报' }))).toBe('forbidden');

		await move('tubu.supervisor', id, { type: 'escalate', reason: '需县级部门协调' }, day(3));
		row = await statusOf(w.t, id);
		expect(row).toMatchObject({ placeId: placeIds['永修县'], placePath: placePaths['永修县'] });
		// The county is the top: no further escalation.
		expect(await outcome(move('county.supervisor', id, { type: 'escalate', reason: '再上报' }))).toEqual({ code: 'conflict', _: 'err_no_level' });

		// Return down only to a place where the matter arose: not a neighbouring township.
		const before = await rowCounts(w.t);
		expect(await outcome(move('county.supervisor', id, { type: 'return_down', placeId: placeIds['虬津镇'], reason: '退回' }))).toEqual({ code: 'invalid', placeId: 'err_place_not_found' });
		expect(await outcome(move('county.supervisor', id, { type: 'return_down', placeId: placeIds['城南村'], reason: '跳级退回' }))).toEqual({ code: 'invalid', placeId: 'err_place_not_found' });
		expect(await rowCounts(w.t)).toEqual(before);
		await move('county.supervisor', id, { type: 'return_down', placeId: placeIds['涂埠镇'], reason: '由镇里继续办理' }, day(4));
		await move('tubu.supervisor', id, { type: 'return_down', placeId: placeIds['城南村'], reason: '回村调解' }, day(5));
		row = await statusOf(w.t, id);
		expect(row).toMatchObject({ placeId: placeIds['城南村'], placePath: placePaths['城南村'], status: 'accepted' });

		const moves = (await timeline(id)).filter((e) => e.kind === 'staff_note' && ['escalate', 'return_down'].includes((e.data as { transition: string }).transition));
		expect(moves.map((e) => [(e.data as { fromPlacePath: string }).fromPlacePath, (e.data as { toPlacePath: string }).toPlacePath])).toEqual([
			[placePaths['城南村'], placePaths['涂埠镇']],
			[placePaths['涂埠镇'], placePaths['永修县']],
			[placePaths['永修县'], placePaths['涂埠镇']],
			[placePaths['涂埠镇'], placePaths['城南村']]
		]);
	});

	it('assigns only a mediator who fits the handling place and a department of the county', async () => {
		const { id } = await file();
		await move('tubu.supervisor', id, { type: 'accept' });
		const before = await rowCounts(w.t);
		// A mediator of another township, and someone who is not a mediator at all.
		expect(await outcome(move('tubu.supervisor', id, { type: 'assign', mediatorId: w.viewers['aicheng.mediator'].id }))).toEqual({ code: 'invalid', mediatorId: 'err_mediator_invalid' });
		expect(await outcome(move('tubu.supervisor', id, { type: 'assign', mediatorId: w.viewers.advisor.id }))).toEqual({ code: 'invalid', mediatorId: 'err_mediator_invalid' });
		expect(await outcome(move('tubu.supervisor', id, { type: 'assign', departmentId: 9999 }))).toEqual({ code: 'invalid', departmentId: 'err_department_not_found' });
		expect(await outcome(move('tubu.supervisor', id, { type: 'assign' }))).toEqual({ code: 'invalid', _: 'err_assign_target' });
		expect(await rowCounts(w.t)).toEqual(before);

		const [dept] = await w.t.db.select({ id: departments.id }).from(departments).where(eq(departments.name, '县信访局'));
		// The township mediator (above the village) and the village's own mediator both fit.
		await move('tubu.supervisor', id, { type: 'assign', mediatorId: w.viewers.mediator.id, departmentId: dept.id });
		await move('tubu.supervisor', id, { type: 'assign', mediatorId: w.viewers['chengnan.mediator'].id });
		expect(await statusOf(w.t, id)).toMatchObject({ status: 'assigned', departmentId: dept.id, mediatorId: w.viewers['chengnan.mediator'].id });
	});

	it('extends the conclusion period once, by up to 30 days', async () => {
		const { id } = await file();
		await move('mediator', id, { type: 'accept' }, day(1));
		expect(await outcome(move('mediator', id, { type: 'extend', days: 31, reason: '需鉴定' }))).toEqual({ code: 'invalid', days: 'err_extension_days' });
		await move('mediator', id, { type: 'extend', days: 20, reason: '需要土地测绘' }, day(10));
		const row = await statusOf(w.t, id);
		expect(row).toMatchObject({ extensionDays: 20, extensionReason: '需要土地测绘', concludeDueOn: periodEnd(day(1), 80) });
		const before = await rowCounts(w.t);
		expect(await outcome(move('mediator', id, { type: 'extend', days: 5, reason: '再延' }, day(11)))).toEqual({ code: 'conflict', _: 'err_already_extended' });
		expect(await rowCounts(w.t)).toEqual(before);
	});

	it('takes a review request within 30 days of the reply and refuses it after', async () => {
		const concluded = async () => {
			const { id } = await file('agent');
			await move('mediator', id, { type: 'accept' }, day(1));
			await move('mediator', id, { type: 'assign', mediatorId: w.viewers.mediator.id }, day(1));
			await move('mediator', id, { type: 'conclude', reason: '已答复', summary: '不予支持' }, day(10));
			return id;
		};
		const late = await concluded();
		const before = await rowCounts(w.t);
		// The agent who filed asks for review on the resident's behalf, 45 days after the reply: too late.
		expect(await outcome(move('agent', late, { type: 'request_review', reason: '不服' }, day(55)))).toEqual({ code: 'conflict', _: 'err_window_closed' });
		expect(await rowCounts(w.t)).toEqual(before);

		const onTime = await concluded();
		await move('agent', onTime, { type: 'request_review', reason: '对答复不服，申请复查' }, day(30));
		let row = await statusOf(w.t, onTime);
		// The review answer clock (30 days) binds the office now.
		expect(row).toMatchObject({ status: 'concluded', reviewStage: 'review_requested', nextDueOn: periodEnd(day(30), 30) });
		// A review is answered by the supervising side, not by the agent or the mediator who handled it.
		expect(await outcome(move('mediator', onTime, { type: 'answer_review', summary: '维持' }, day(40)))).toBe('forbidden');
		await move('tubu.supervisor', onTime, { type: 'answer_review', summary: '复查维持原答复意见' }, day(40));
		row = await statusOf(w.t, onTime);
		expect(row).toMatchObject({ reviewStage: 'review_answered', nextDueOn: null });
		expect(row.reviewAnsweredAt).toEqual(day(40));
	});
});

describe('transitionCase: denial', () => {
	it('answers not_found to actors who cannot see the case, and forbidden to those who see it without the right', async () => {
		const { id } = await file();
		const before = await rowCounts(w.t);
		for (const who of ['qiujin.villager', 'grid', 'aicheng.mediator', 'panelist', 'admin']) {
			expect(await outcome(move(who, id, { type: 'accept' }))).toBe('not_found');
		}
		expect(await outcome(move('mediator', 987654, { type: 'accept' }))).toBe('not_found');
		expect(await outcome(move('mediator', 'abc', { type: 'accept' }))).toBe('not_found');
		// The village's legal-literate villager and the township's adviser see it but do not move cases.
		expect(await outcome(move('villager', id, { type: 'accept' }))).toBe('forbidden');
		expect(await outcome(move('advisor', id, { type: 'accept' }))).toBe('forbidden');
		// Wrong state and bad input.
		expect(await outcome(move('mediator', id, { type: 'archive' }))).toEqual({ code: 'conflict', _: 'err_wrong_state' });
		expect(await outcome(move('mediator', id, { type: 'teleport' }))).toEqual({ code: 'invalid', type: 'err_invalid' });
		// Nothing of any of these was written.
		expect(await rowCounts(w.t)).toEqual(before);
		expect((await statusOf(w.t, id)).status).toBe('registered');
	});

	it('applies one of two concurrent transitions and refuses the other with conflict', async () => {
		const { id } = await file();
		const before = await rowCounts(w.t);
		const results = await Promise.allSettled([
			move('mediator', id, { type: 'accept' }),
			move('tubu.supervisor', id, { type: 'accept' }),
			move('mediator', id, { type: 'reject', reason: '重复' }),
			move('tubu.supervisor', id, { type: 'reject', reason: '重复' })
		]);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
		expect(ok).toHaveLength(1);
		expect(refused.every((e) => e instanceof AppError && e.code === 'conflict')).toBe(true);
		const after = await rowCounts(w.t);
		expect(after.audit).toBe(before.audit + 1);
		expect((await timeline(id)).filter((e) => e.public)).toHaveLength(2);
	});
});
