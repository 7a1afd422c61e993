import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeAgreement } from '../../src/lib/server/agreements/freeze-agreement';
import { listCases } from '../../src/lib/server/cases/list/list-cases';
import { DEFAULT_FILTERS } from '../../src/lib/server/cases/list/rules';
import { notices, panelMembers, smsOutbox } from '../../src/lib/server/db/schema';
import { inviteMember } from '../../src/lib/server/mediation/panel/invite-member';
import { cancelSession, endSession, startSession } from '../../src/lib/server/mediation/sessions/change-session';
import { scheduleSession } from '../../src/lib/server/mediation/sessions/schedule-session';
import { countUnread } from '../../src/lib/server/notices/count-unread';
import { declareFromNotice } from '../../src/lib/server/mediation/panel/declare-from-notice';
import { getMyMembership } from '../../src/lib/server/notices/get-my-membership';
import { listMyPanels } from '../../src/lib/server/notices/list-my-panels';
import { listNotices } from '../../src/lib/server/notices/list-notices';
import { markAllRead, markNoticeRead } from '../../src/lib/server/notices/mark-read';
import { sessionCalendar } from '../../src/lib/server/mediation/sessions/session-calendar';
import { sweepDueNotices } from '../../src/lib/server/notices/sweep-due-notices';
import { listReminders } from '../../src/lib/server/outcomes/list-reminders';
import { draftAgreement, invite as inviteToSign } from './agreement-fixtures';
import { outcome } from './casework-fixtures';
import { inHours, setUpPanelWorld, type PanelWorld } from './panel-fixtures';

let w: PanelWorld;
beforeAll(async () => {
	w = await setUpPanelWorld();
}, 180_000);
afterAll(() => w.t.destroy());

const CONSENT = '双方当事人当面口头同意';
const PANELIST_PHONE = '13800138006';
const noticesOf = (userId: number, kind?: string) =>
	w.t.db
		.select()
		.from(notices)
		.where(and(eq(notices.userId, userId), kind ? sql`${notices.kind} = ${kind}` : undefined))
		.orderBy(desc(notices.id));
const smsTo = (phone: string) => w.t.db.select().from(smsOutbox).where(eq(smsOutbox.phone, phone)).orderBy(desc(smsOutbox.id));
/** The cases whose panel the demo panelist sits on, newest first (as the list sorts by registration). */
const panelCaseIds = async () =>
	(await w.t.db.select({ id: panelMembers.caseId }).from(panelMembers).where(and(eq(panelMembers.userId, w.viewers.panelist.id), isNull(panelMembers.removedAt))))
		.map((r) => r.id)
		.sort((a, b) => b - a);
const total = async () => (await w.t.db.select({ n: count() }).from(notices))[0].n;

/**
 * Makes the change's transaction fail at its commit, after the notice was written (a deferred
 * constraint trigger on the notice rows runs at commit): a notice written outside that transaction
 * would survive, and a text sent before the commit would have gone out. Neither may.
 */
async function withFailingSms<T>(run: () => Promise<T>): Promise<unknown> {
	const [{ texts }] = await w.t.db.select({ texts: count() }).from(smsOutbox);
	await w.t.db.execute(sql`create or replace function fail_commit() returns trigger language plpgsql as $$ begin raise exception 'commit refused'; end $$`);
	await w.t.db.execute(sql`create constraint trigger fail_commit after insert on notices deferrable initially deferred for each row execute function fail_commit()`);
	try {
		return await run().then(
			() => 'ok',
			(err) => err
		);
	} finally {
		await w.t.db.execute(sql`drop trigger fail_commit on notices`);
		const [{ texts: after }] = await w.t.db.select({ texts: count() }).from(smsOutbox);
		expect(after, 'no text for a change that rolled back').toBe(texts);
	}
}

describe('a panel invitation tells the invitee, in the same transaction', () => {
	it('before the invitation the case is not in the panelist’s list, he has no notice and nothing to declare', async () => {
		expect((await listCases(w.t.db, w.viewers.panelist, DEFAULT_FILTERS)).rows.map((r) => r.id)).toEqual(await panelCaseIds());
		expect(await panelCaseIds()).not.toContain(w.caseId);
		expect(await countUnread(w.t.db, w.viewers.panelist.id)).toBe(0);
		expect((await listMyPanels(w.t.db, w.viewers.panelist)).map((p) => p.caseId)).not.toContain(w.caseId);
	});

	it('rolled back with the invitation: no member row, no notice', async () => {
		const failed = await withFailingSms(() =>
			inviteMember(w.t.db, w.viewers.mediator, w.caseId, { userId: w.viewers.panelist.id, memberType: 'veteran_party_member', partiesConsent: CONSENT })
		);
		expect(failed).toBeInstanceOf(Error);
		expect(await w.t.db.select().from(panelMembers).where(eq(panelMembers.caseId, w.caseId))).toEqual([]);
		expect(await noticesOf(w.viewers.panelist.id)).toEqual([]);
	});

	it('invites: an unread notice in his inbox, the header count, an SMS with the link, and his case list', async () => {
		await inviteMember(w.t.db, w.viewers.mediator, w.caseId, { userId: w.viewers.panelist.id, memberType: 'veteran_party_member', partiesConsent: CONSENT });
		const [notice] = await noticesOf(w.viewers.panelist.id);
		expect(notice).toMatchObject({ caseId: w.caseId, kind: 'panel_invited', readAt: null });
		expect(await countUnread(w.t.db, w.viewers.panelist.id)).toBe(1);
		const [sms] = await smsTo(PANELIST_PHONE);
		expect(sms.body).toContain(`/cases/${w.caseId}/panel`);
		expect(sms.body).toMatch(/^【评理】您受邀参加\d{4}-\d{6}号案件的评理/);
		expect(sms.body.length).toBeLessThanOrEqual(120);
		// Exactly the cases of his panels (the demo has seated him on one already), newest first.
		const list = await listCases(w.t.db, w.viewers.panelist, DEFAULT_FILTERS);
		expect(list.rows.map((r) => r.id)).toEqual(await panelCaseIds());
		expect(list.rows[0].id).toBe(w.caseId);
		expect((await listMyPanels(w.t.db, w.viewers.panelist))[0]).toMatchObject({ caseId: w.caseId, awaits: 'declare', conflict: 'pending' });
		expect(await getMyMembership(w.t.db, w.viewers.panelist, w.caseId)).toEqual({ conflict: 'pending' });
	});

	it('a villager of another township not on the panel sees none of it', async () => {
		const out = w.viewers['qiujin.villager'];
		expect((await listCases(w.t.db, out, DEFAULT_FILTERS)).rows.map((r) => r.id)).not.toContain(w.caseId);
		expect(await listMyPanels(w.t.db, out)).toEqual([]);
		expect(await listNotices(w.t.db, out)).toEqual([]);
	});
});

describe('only the recipient reads or marks a notice', () => {
	it('another person cannot list, open or mark it, and "mark all read" touches only their own', async () => {
		const [notice] = await noticesOf(w.viewers.panelist.id);
		for (const other of [w.viewers.mediator, w.viewers['qiujin.villager'], w.viewers.admin]) {
			expect((await listNotices(w.t.db, other)).map((n) => n.id)).not.toContain(notice.id);
			expect(await outcome(markNoticeRead(w.t.db, other, notice.id))).toBe('not_found');
			await markAllRead(w.t.db, other);
		}
		expect(await outcome(markNoticeRead(w.t.db, w.viewers.panelist, 'abc'))).toBe('not_found');
		expect((await noticesOf(w.viewers.panelist.id))[0].readAt).toBeNull();
		expect(await listNotices(w.t.db, w.viewers.panelist)).toMatchObject([{ id: notice.id, read: false, path: `/cases/${w.caseId}/panel` }]);
	});
});

describe('declaring from the notice', () => {
	it('needs the box ticked; someone not on the panel is refused', async () => {
		expect(await outcome(declareFromNotice(w.t.db, w.viewers.panelist, { caseId: String(w.caseId) }))).toEqual({ code: 'invalid', confirm: 'nt_err_confirm' });
		expect(await outcome(declareFromNotice(w.t.db, w.viewers['qiujin.villager'], { caseId: String(w.caseId), confirm: 'yes' }))).toBe('not_found');
		expect(await outcome(declareFromNotice(w.t.db, w.viewers.panelist, { caseId: 'x', confirm: 'yes' }))).toEqual({ code: 'invalid', caseId: 'err_invalid' });
		expect(await getMyMembership(w.t.db, w.viewers.panelist, w.caseId)).toEqual({ conflict: 'pending' });
	});

	it('declares no conflict through the panel use case and marks the invitation read', async () => {
		await declareFromNotice(w.t.db, w.viewers.panelist, { caseId: String(w.caseId), confirm: 'yes' });
		expect(await getMyMembership(w.t.db, w.viewers.panelist, w.caseId)).toEqual({ conflict: 'no_conflict' });
		expect((await noticesOf(w.viewers.panelist.id, 'panel_invited'))[0].readAt).not.toBeNull();
		expect(await countUnread(w.t.db, w.viewers.panelist.id)).toBe(0);
		expect(await outcome(declareFromNotice(w.t.db, w.viewers.panelist, { caseId: String(w.caseId), confirm: 'yes' }))).toEqual({ code: 'conflict', _: 'err_pn_already_declared' });
	});
});

describe('sessions', () => {
	let sessionId: number;
	const raw = () => ({ scheduledAt: inHours(30), location: '城南村调解室, 二楼; 东侧', openness: 'closed' });

	it('rolled back with the scheduling: no session notice', async () => {
		const before = await total();
		expect(await withFailingSms(() => scheduleSession(w.t.db, w.viewers.mediator, w.caseId, raw()))).toBeInstanceOf(Error);
		expect(await total()).toBe(before);
	});

	it('scheduling tells the panel and the parties with accounts in the app, and texts every phone', async () => {
		({ sessionId } = await scheduleSession(w.t.db, w.viewers.mediator, w.caseId, raw()));
		for (const who of ['panelist', 'party']) {
			expect((await noticesOf(w.viewers[who].id, 'session_scheduled'))[0]).toMatchObject({ caseId: w.caseId, payload: { sessionId, seq: 1 } });
		}
		expect(await noticesOf(w.viewers.mediator.id, 'session_scheduled')).toEqual([]);
		for (const phone of [PANELIST_PHONE, '13907920011', '13907920022']) expect((await smsTo(phone))[0].body).toContain('调解会定于');
		expect((await listMyPanels(w.t.db, w.viewers.panelist)).find((p) => p.caseId === w.caseId)).toMatchObject({ awaits: 'session', nextSession: { id: sessionId } });
	});

	it('the calendar file: RFC 5545, folded, escaped; only for those who see the case', async () => {
		const { body, fileName } = await sessionCalendar(w.t.db, w.viewers.panelist, sessionId, 'https://pingli.test');
		expect(fileName).toMatch(/^session-\d{4}-\d{6}-1\.ics$/);
		expect(body).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
		expect(body).toContain(`UID:session-${sessionId}@pingli`);
		expect(body).toContain('LOCATION:城南村调解室\\, 二楼\\; 东侧');
		expect(body).toContain(`URL:https://pingli.test/cases/${w.caseId}`);
		expect(body.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
		for (const line of body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
		expect(await outcome(sessionCalendar(w.t.db, w.viewers['qiujin.villager'], sessionId, 'https://pingli.test'))).toBe('not_found');
		expect(await outcome(sessionCalendar(w.t.db, w.viewers.agent, sessionId, 'https://pingli.test'))).toBe('not_found');
		expect(await outcome(sessionCalendar(w.t.db, w.viewers.party, sessionId, 'https://pingli.test'))).toBe('ok');
	});

	it('cancelling tells them too, and a cancellation rolled back tells no one', async () => {
		const before = await total();
		expect(await withFailingSms(() => cancelSession(w.t.db, w.viewers.mediator, { sessionId, caseId: w.caseId, reason: '当事人生病' }))).toBeInstanceOf(Error);
		expect(await total()).toBe(before);
		await cancelSession(w.t.db, w.viewers.mediator, { sessionId, caseId: w.caseId, reason: '当事人生病' });
		expect((await noticesOf(w.viewers.panelist.id, 'session_cancelled'))[0]).toMatchObject({ payload: { sessionId, seq: 1 } });
		expect((await noticesOf(w.viewers.party.id, 'session_cancelled')).length).toBe(1);
		expect((await sessionCalendar(w.t.db, w.viewers.panelist, sessionId, 'https://pingli.test')).body).toContain('STATUS:CANCELLED');
	});

	it('a session in progress stays on the member\'s home as the way in, also past its hour, until it ends', async () => {
		const { sessionId: second } = await scheduleSession(w.t.db, w.viewers.mediator, w.caseId, raw());
		const mine = async (now: Date) => (await listMyPanels(w.t.db, w.viewers.panelist, { now })).find((p) => p.caseId === w.caseId);
		expect(await mine(new Date())).toMatchObject({ awaits: 'session', nextSession: { id: second, live: false } });
		const started = new Date(Date.now() + 30 * 3_600_000 + 60_000);
		await startSession(w.t.db, w.viewers.mediator, { sessionId: second, caseId: w.caseId }, { now: started });
		const later = new Date(started.getTime() + 3 * 3_600_000);
		expect(await mine(later)).toMatchObject({ awaits: 'session', nextSession: { id: second, live: true } });
		await endSession(w.t.db, w.viewers.mediator, { sessionId: second, caseId: w.caseId }, { now: later });
		expect((await mine(later))?.nextSession).toBeNull();
	});
});

describe('the agreement', () => {
	const now = new Date();
	it('frozen: the panel and the parties are asked to read it; rolled back, no one is', async () => {
		await draftAgreement(w, now);
		const before = await total();
		expect(await withFailingSms(() => freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now, collab: null }))).toBeInstanceOf(Error);
		expect(await total()).toBe(before);
		await freezeAgreement(w.t.db, w.viewers.mediator, w.caseId, { now, collab: null });
		expect((await noticesOf(w.viewers.panelist.id, 'agreement_ready')).length).toBe(1);
		expect((await noticesOf(w.viewers.party.id, 'agreement_ready')).length).toBe(1);
		expect((await listMyPanels(w.t.db, w.viewers.panelist)).find((p) => p.caseId === w.caseId)?.awaits).toBe('review');
	});

	it('signing requested: a party with an account gets it in the app', async () => {
		await inviteToSign(w, w.partyIds.applicant, now);
		expect((await noticesOf(w.viewers.party.id, 'signing_requested'))[0]).toMatchObject({ caseId: w.caseId });
	});
});

describe('mark all read', () => {
	it('marks only the caller’s own, and the count drops to zero', async () => {
		const partyUnread = await countUnread(w.t.db, w.viewers.party.id);
		expect(partyUnread).toBeGreaterThan(0);
		await markAllRead(w.t.db, w.viewers.panelist);
		expect(await countUnread(w.t.db, w.viewers.panelist.id)).toBe(0);
		expect(await countUnread(w.t.db, w.viewers.party.id)).toBe(partyUnread);
		await markAllRead(w.t.db, w.viewers.party);
		expect(await countUnread(w.t.db, w.viewers.party.id)).toBe(0);
	});
});

describe('date-driven notices: the sweep on the mediator’s home page', () => {
	it('turns a term falling due and a case awaiting its return visit into one notice each, however often it runs', async () => {
		const mediator = w.viewers.mediator;
		await w.t.db.execute(sql`update agreements set status = 'effective', effective_on = current_date where case_id = ${w.caseId}`);
		await w.t.db.execute(sql`update cases set mediator_id = ${mediator.id}, status = 'follow_up' where id = ${w.caseId}`);
		// The term is due 22 days after the agreement; three weeks on it is within the reminder days.
		const later = new Date(Date.now() + 21 * 86_400_000);
		const reminders = await listReminders(w.t.db, mediator, { now: later });
		expect(reminders.some((r) => r.caseId === w.caseId && r.kind === 'term')).toBe(true);
		const texted = (await smsTo('13800138003')).length;
		const obligorTexted = (await smsTo('13907920022')).length;
		// The demo's own matters of this mediator may add theirs; this case adds exactly two.
		const added = await sweepDueNotices(w.t.db, mediator, reminders, { now: later });
		expect(added).toBeGreaterThanOrEqual(2);
		expect(await sweepDueNotices(w.t.db, mediator, reminders, { now: later })).toBe(0);
		const mine = async (kind: string) => (await noticesOf(mediator.id, kind)).filter((n) => n.caseId === w.caseId);
		expect(await mine('terms_due')).toHaveLength(1);
		expect(await mine('return_visit_due')).toHaveLength(1);
		expect((await smsTo('13800138003')).length).toBe(texted + added);
		// The respondent owes the term: one text to the phone on the case and one notice in the app (this
		// world links the demo party's account to both parties), however often the sweep runs.
		const toRespondent = await smsTo('13907920022');
		const owed = toRespondent.slice(0, toRespondent.length - obligorTexted);
		expect(owed.map((m) => m.body)).toEqual([expect.stringContaining('履行期限将到')]);
		expect((await noticesOf(w.viewers.party.id, 'terms_due')).filter((n) => n.caseId === w.caseId)).toHaveLength(1);
		// The applicant owes nothing: no text to the applicant's phone.
		expect((await smsTo('13907920011')).filter((m) => m.body.includes('履行期限将到'))).toEqual([]);
		// Someone else's sweep adds nothing for cases they do not follow up.
		expect(await sweepDueNotices(w.t.db, w.viewers['qiujin.villager'], [], { now: later })).toBe(0);
	});
});
