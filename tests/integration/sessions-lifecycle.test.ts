import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, caseEvents, cases, documentVersions, mediationSessions, panelMembers, sessionAttendance } from '../../src/lib/server/db/schema';
import type { CaseEventKind } from '../../src/lib/enums';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { inviteMember } from '../../src/lib/server/mediation/panel/invite-member';
import { addAttendee } from '../../src/lib/server/mediation/sessions/add-attendee';
import { cancelSession, endSession, startSession } from '../../src/lib/server/mediation/sessions/change-session';
import { listSessions } from '../../src/lib/server/mediation/sessions/list-sessions';
import { onSessionEnded, type SessionEnded } from '../../src/lib/server/mediation/sessions/on-session-ended';
import { recordAttendance } from '../../src/lib/server/mediation/sessions/record-attendance';
import { scheduleSession } from '../../src/lib/server/mediation/sessions/schedule-session';
import { outcome } from './casework-fixtures';
import { fileTubuCase, inHours, mediationCounts, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

let w: PanelWorld;
beforeAll(async () => {
	w = await setUpPanelWorld();
}, 180_000);
afterAll(() => w.t.destroy());

const schedule = (who: string, raw: Record<string, unknown>, caseId = w.caseId) => scheduleSession(w.t.db, w.viewers[who], caseId, raw, { ip: '10.0.0.7' });
const sessionRow = async (id: number) => (await w.t.db.select().from(mediationSessions).where(eq(mediationSessions.id, id)))[0];
const events = (kind: CaseEventKind) =>
	w.t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, w.caseId), eq(caseEvents.kind, kind))).orderBy(asc(caseEvents.id));

describe('scheduling', () => {
	it('refuses a time in the past, no place while not remote, and overlong fields, naming each field, writing nothing', async () => {
		const before = await mediationCounts(w);
		expect(await outcome(schedule('mediator', { scheduledAt: inHours(-3), location: '城南村调解室', openness: 'closed' }))).toEqual({ code: 'invalid', scheduledAt: 'err_ss_in_past' });
		expect(await outcome(schedule('mediator', { scheduledAt: inHours(2), location: '  ', openness: 'open' }))).toEqual({ code: 'invalid', location: 'err_ss_place_required' });
		expect(await outcome(schedule('mediator', { scheduledAt: inHours(2), location: '室'.repeat(201), remote: 'on', openness: 'open' }))).toEqual({ code: 'invalid', location: 'err_too_long' });
		expect(await outcome(schedule('mediator', {}))).toEqual({
			code: 'invalid',
			scheduledAt: 'err_ss_when_required',
			location: 'err_ss_place_required',
			openness: 'err_ss_openness_required'
		});
		expect(await outcome(schedule('mediator', { scheduledAt: '2026-02-30T09:00', remote: 'on', openness: 'half' }))).toEqual({
			code: 'invalid',
			scheduledAt: 'err_ss_when_invalid',
			openness: 'err_ss_openness_required'
		});
		expect(await outcome(schedule('mediator', { scheduledAt: inHours(24 * 400), remote: 'on', openness: 'open' }))).toEqual({ code: 'invalid', scheduledAt: 'err_ss_too_far' });
		expect(await mediationCounts(w)).toEqual(before);
	});

	it('numbers sessions per case, reads a datetime-local value as China time, and posts one plain public entry', async () => {
		const before = await mediationCounts(w);
		const first = await schedule('mediator', { scheduledAt: inHours(2), location: ' 城南村调解室 ', openness: 'closed' });
		// 2099-05-01 09:30 in China is 01:30 UTC. (Within a year is checked against the real clock, so use a remote session near now too.)
		const soon = new Date(Date.now() + 86_400_000);
		const local = new Date(soon.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
		const second = await schedule('tubu.supervisor', { scheduledAt: local, remote: 'on', openness: 'open' });
		expect([first.seq, second.seq]).toEqual([1, 2]);
		expect(await sessionRow(first.sessionId)).toMatchObject({ status: 'scheduled', location: '城南村调解室', remote: false, openness: 'closed', createdById: w.viewers.mediator.id });
		expect((await sessionRow(second.sessionId)).scheduledAt.toISOString().slice(0, 16)).toBe(new Date(`${local}:00+08:00`).toISOString().slice(0, 16));
		expect(await sessionRow(second.sessionId)).toMatchObject({ location: null, remote: true, openness: 'open' });
		const scheduled = await events('session_scheduled');
		expect(scheduled.map((e) => [e.public, e.note, e.data])).toEqual([
			[true, null, { sessionId: first.sessionId, seq: 1 }],
			[true, null, { sessionId: second.sessionId, seq: 2 }]
		]);
		expect(await mediationCounts(w)).toMatchObject({ sessions: before.sessions + 2, events: before.events + 2, audit: before.audit + 2 });
		// Another case starts again at 1.
		expect((await schedule('mediator', { scheduledAt: inHours(3), remote: true, openness: 'closed' }, await fileTubuCase(w))).seq).toBe(1);
	});

	it('lets parties and panel members see the sessions but not schedule; hides the case from outsiders', async () => {
		await inviteMember(w.t.db, w.viewers.mediator, w.caseId, { userId: w.viewers.panelist.id, memberType: 'veteran_party_member', partiesConsent: '双方同意' });
		const before = await mediationCounts(w);
		const raw = { scheduledAt: inHours(2), remote: 'on', openness: 'open' };
		for (const who of ['party', 'panelist']) {
			const view = await listSessions(w.t.db, w.viewers[who], w.caseId);
			expect(view).toMatchObject({ mayRun: false });
			expect(view.sessions.length).toBeGreaterThanOrEqual(2);
			expect(await outcome(schedule(who, raw))).toBe('forbidden');
		}
		expect(await outcome(listSessions(w.t.db, w.viewers['qiujin.villager'], w.caseId))).toBe('not_found');
		expect(await outcome(schedule('qiujin.villager', raw))).toBe('not_found');
		expect(await outcome(schedule('aicheng.mediator', raw))).toBe('not_found');
		// The village's legal-literate villager sees the case (it arose in their village) but does not run it.
		expect(await outcome(schedule('villager', raw))).toBe('forbidden');
		expect(await mediationCounts(w)).toEqual(before);
	});
});

describe('start, end, cancel', () => {
	let ended: SessionEnded[] = [];
	const hook = async (_db: unknown, e: SessionEnded) => {
		ended.push(e);
	};

	it('cannot end a session that has not started, nor start one twice; ends with a public entry and the automatic version', async () => {
		onSessionEnded.push(hook);
		const { sessionId } = await schedule('mediator', { scheduledAt: inHours(1), location: '城南村调解室', openness: 'closed' });
		const ref = { sessionId, caseId: w.caseId };
		const otherCase = await fileTubuCase(w);
		const before = await mediationCounts(w);
		expect(await outcome(endSession(w.t.db, w.viewers.mediator, ref))).toEqual({ code: 'conflict', _: 'err_ss_not_started' });
		expect(await outcome(startSession(w.t.db, w.viewers.party, ref))).toBe('forbidden');
		expect(await outcome(startSession(w.t.db, w.viewers['qiujin.villager'], ref))).toBe('not_found');
		// From another case's page, this session does not exist.
		expect(await outcome(startSession(w.t.db, w.viewers.mediator, { sessionId, caseId: otherCase }))).toBe('not_found');
		expect(await mediationCounts(w)).toEqual(before);

		const started = await mediationCounts(w);
		await startSession(w.t.db, w.viewers.mediator, ref, { ip: '10.0.0.7' });
		expect(await sessionRow(sessionId)).toMatchObject({ status: 'in_progress', startedAt: expect.any(Date), endedAt: null });
		expect(await outcome(startSession(w.t.db, w.viewers.mediator, ref))).toEqual({ code: 'conflict', _: 'err_ss_already_started' });
		expect(await outcome(cancelSession(w.t.db, w.viewers.mediator, { ...ref, reason: '改期' }))).toEqual({ code: 'conflict', _: 'err_ss_in_progress' });
		expect(await mediationCounts(w)).toMatchObject({ events: started.events + 1, audit: started.audit + 1 });
		expect((await events('session_started')).at(-1)).toMatchObject({ public: false });

		ended = [];
		const result = await endSession(w.t.db, w.viewers.mediator, ref, { ip: '10.0.0.7' });
		const row = await sessionRow(sessionId);
		expect(row).toMatchObject({ status: 'ended', endedAt: expect.any(Date) });
		expect((await events('session_ended')).at(-1)).toMatchObject({ public: true, note: null, data: { sessionId, seq: row.seq } });
		const [version] = await w.t.db.select().from(documentVersions).where(eq(documentVersions.docName, recordDocName(sessionId)));
		expect(version).toMatchObject({ name: `第${row.seq}次调解结束`, automatic: true, createdById: w.viewers.mediator.id });
		expect(ended).toEqual([expect.objectContaining({ sessionId, caseId: w.caseId, seq: result.seq, versionName: `第${row.seq}次调解结束` })]);
		expect(await outcome(endSession(w.t.db, w.viewers.mediator, ref))).toEqual({ code: 'conflict', _: 'err_ss_already_ended' });
		expect(await outcome(startSession(w.t.db, w.viewers.mediator, ref))).toEqual({ code: 'conflict', _: 'err_ss_already_ended' });
		onSessionEnded.splice(onSessionEnded.indexOf(hook), 1);
	});

	it('a failing hook does not undo the end', async () => {
		const failing = async () => {
			throw new Error('hook down');
		};
		onSessionEnded.push(failing);
		const { sessionId } = await schedule('mediator', { scheduledAt: inHours(1), remote: 'on', openness: 'closed' });
		await startSession(w.t.db, w.viewers.mediator, { sessionId });
		await endSession(w.t.db, w.viewers.mediator, { sessionId });
		expect((await sessionRow(sessionId)).status).toBe('ended');
		onSessionEnded.splice(onSessionEnded.indexOf(failing), 1);
	});

	it('cancels a scheduled session with a reason kept on the staff timeline', async () => {
		const { sessionId } = await schedule('mediator', { scheduledAt: inHours(5), remote: 'on', openness: 'closed' });
		const before = await mediationCounts(w);
		expect(await outcome(cancelSession(w.t.db, w.viewers.mediator, { sessionId, reason: ' ' }))).toEqual({ code: 'invalid', reason: 'err_ss_reason_required' });
		expect(await outcome(cancelSession(w.t.db, w.viewers.mediator, { sessionId, reason: '因'.repeat(301) }))).toEqual({ code: 'invalid', reason: 'err_too_long' });
		expect(await mediationCounts(w)).toEqual(before);
		await cancelSession(w.t.db, w.viewers['tubu.supervisor'], { sessionId, reason: '被申请人外出务工，改期' });
		expect((await sessionRow(sessionId)).status).toBe('cancelled');
		expect((await events('session_cancelled')).at(-1)).toMatchObject({ public: false, note: '被申请人外出务工，改期' });
		expect(await outcome(cancelSession(w.t.db, w.viewers.mediator, { sessionId, reason: '再取消' }))).toEqual({ code: 'conflict', _: 'err_ss_cancelled' });
		expect(await outcome(startSession(w.t.db, w.viewers.mediator, { sessionId }))).toEqual({ code: 'conflict', _: 'err_ss_cancelled' });
		const staff = await listSessions(w.t.db, w.viewers.mediator, w.caseId);
		expect(staff.sessions.find((s) => s.id === sessionId)).toMatchObject({ status: 'cancelled', cancelReason: '被申请人外出务工，改期' });
		const party = await listSessions(w.t.db, w.viewers.party, w.caseId);
		expect(party.sessions.find((s) => s.id === sessionId)).toMatchObject({ status: 'cancelled', cancelReason: null });
	});

	it('takes no new session once the case is concluded, but still lets one under way end', async () => {
		const caseId = await fileTubuCase(w);
		const { sessionId } = await schedule('mediator', { scheduledAt: inHours(1), remote: 'on', openness: 'closed' }, caseId);
		const { sessionId: later } = await schedule('mediator', { scheduledAt: inHours(2), remote: 'on', openness: 'closed' }, caseId);
		await startSession(w.t.db, w.viewers.mediator, { sessionId });
		await w.t.db.update(cases).set({ status: 'concluded' }).where(eq(cases.id, caseId));
		expect(await outcome(schedule('mediator', { scheduledAt: inHours(1), remote: 'on', openness: 'closed' }, caseId))).toEqual({ code: 'conflict', _: 'err_pn_case_closed' });
		expect(await outcome(startSession(w.t.db, w.viewers.mediator, { sessionId: later }))).toEqual({ code: 'conflict', _: 'err_pn_case_closed' });
		await endSession(w.t.db, w.viewers.mediator, { sessionId });
		expect((await sessionRow(sessionId)).status).toBe('ended');
	});
});

describe('attendance', () => {
	let sessionId: number;
	beforeAll(async () => {
		({ sessionId } = await schedule('mediator', { scheduledAt: inHours(1), location: '城南村调解室', remote: 'on', openness: 'closed' }));
	});

	it('records nobody before the session starts, and nothing for outsiders', async () => {
		const before = await mediationCounts(w);
		expect(await recordAttendance(w.t.db, w.viewers.party, sessionId, { remote: true })).toEqual({ status: 'not_in_progress' });
		expect(await outcome(recordAttendance(w.t.db, w.viewers['qiujin.villager'], sessionId, { remote: true }))).toBe('not_found');
		expect(await outcome(addAttendee(w.t.db, w.viewers.mediator, { sessionId, name: '孙大伯之子', capacity: 'relative' }))).toEqual({ code: 'conflict', _: 'err_ss_attendance_closed' });
		expect(await mediationCounts(w)).toEqual(before);
	});

	it('records each signed-in participant once, in the capacity their role on the case gives', async () => {
		await startSession(w.t.db, w.viewers.mediator, { sessionId });
		const before = await mediationCounts(w);
		const party = await recordAttendance(w.t.db, w.viewers.party, sessionId, { remote: true, ip: '10.0.0.8' });
		expect(party).toMatchObject({ status: 'recorded', capacity: 'party' });
		expect(await recordAttendance(w.t.db, w.viewers.party, sessionId, { remote: false })).toMatchObject({ status: 'already', capacity: 'party' });
		// Two tabs at once: still one row.
		const both = await Promise.all([
			recordAttendance(w.t.db, w.viewers.mediator, sessionId, { remote: false }),
			recordAttendance(w.t.db, w.viewers.mediator, sessionId, { remote: false })
		]);
		expect(both.map((r) => r.status).sort()).toEqual(['already', 'recorded']);
		expect(both[0]).toMatchObject({ capacity: 'mediator' });
		// The panelist was invited as a veteran party member and has not recused.
		expect(await recordAttendance(w.t.db, w.viewers.panelist, sessionId, { remote: true })).toMatchObject({ status: 'recorded', capacity: 'veteran_party_member' });
		expect(await recordAttendance(w.t.db, w.viewers.supervisor, sessionId, { remote: true })).toMatchObject({ status: 'recorded', capacity: 'observer' });
		const rows = await w.t.db.select().from(sessionAttendance).where(eq(sessionAttendance.sessionId, sessionId)).orderBy(asc(sessionAttendance.id));
		expect(rows.map((r) => [r.userId, r.capacity, r.remote])).toEqual([
			[w.viewers.party.id, 'party', true],
			[w.viewers.mediator.id, 'mediator', false],
			[w.viewers.panelist.id, 'veteran_party_member', true],
			[w.viewers.supervisor.id, 'observer', true]
		]);
		expect(rows[0].name).toBe(w.viewers.party.name);
		expect(await mediationCounts(w)).toMatchObject({ attendance: before.attendance + 4, audit: before.audit + 4, events: before.events + 4 });
		const [audit] = await w.t.db.select().from(auditLog).where(and(eq(auditLog.action, 'session.attend'), eq(auditLog.actorId, w.viewers.party.id)));
		expect(audit).toMatchObject({ subjectType: 'mediation_session', subjectId: String(sessionId), ip: '10.0.0.8' });
	});

	it('records a recused member as an observer', async () => {
		await w.t.db.update(panelMembers).set({ conflict: 'recused', conflictNote: '回避' }).where(eq(panelMembers.userId, w.viewers.panelist.id));
		const { sessionId: next } = await schedule('mediator', { scheduledAt: inHours(1), remote: 'on', openness: 'closed' });
		await startSession(w.t.db, w.viewers.mediator, { sessionId: next });
		expect(await recordAttendance(w.t.db, w.viewers.panelist, next, { remote: true })).toMatchObject({ status: 'recorded', capacity: 'observer' });
	});

	it('lets the mediator add someone without an account, by name and capacity; nobody else', async () => {
		const before = await mediationCounts(w);
		expect(await outcome(addAttendee(w.t.db, w.viewers.mediator, { sessionId, name: '', capacity: 'astrologer' }))).toEqual({
			code: 'invalid',
			name: 'err_ss_name_required',
			capacity: 'err_ss_capacity_required'
		});
		expect(await outcome(addAttendee(w.t.db, w.viewers.mediator, { sessionId, name: '名'.repeat(61), capacity: 'relative' }))).toEqual({ code: 'invalid', name: 'err_too_long' });
		expect(await outcome(addAttendee(w.t.db, w.viewers.party, { sessionId, name: '孙大伯之子', capacity: 'relative' }))).toBe('forbidden');
		expect(await mediationCounts(w)).toEqual(before);
		await addAttendee(w.t.db, w.viewers.mediator, { sessionId, caseId: w.caseId, name: ' 孙小明 ', capacity: 'relative' });
		await addAttendee(w.t.db, w.viewers.mediator, { sessionId, name: '邻居 周婶', capacity: 'neighbour' });
		const view = await listSessions(w.t.db, w.viewers.party, w.caseId);
		const attendees = view.sessions.find((s) => s.id === sessionId)!.attendance;
		expect(attendees.slice(-2)).toMatchObject([
			{ name: '孙小明', capacity: 'relative', remote: false, signedIn: false },
			{ name: '邻居 周婶', capacity: 'neighbour', remote: false, signedIn: false }
		]);
		expect(await mediationCounts(w)).toMatchObject({ attendance: before.attendance + 2, audit: before.audit + 2 });
	});
});
