/**
 * Call signalling (issue 14): who may join a session's call (who may open its record, or a party with
 * a personal link and a one-time code), what joining and leaving record, and each message type's
 * budget. A real HTTP server on port 0 with the app's signalling and room policy, real ws clients.
 */
import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SmsSender } from '../../src/lib/server/sms/sms-sender';
import { CALL_CLOSE } from '../../src/lib/calls/protocol';
import { CALL_GRANT_COOKIE } from '../../src/lib/server/calls/call-link';
import { createCallLink } from '../../src/lib/server/calls/create-call-link';
import { MESSAGE_BUDGETS } from '../../src/lib/server/calls/messages';
import { sendCallCode } from '../../src/lib/server/calls/send-call-code';
import { verifyCallCode } from '../../src/lib/server/calls/verify-call-code';
import { auditLog, caseParties, cases, mediationSessions, sessionAttendance } from '../../src/lib/server/db/schema';
import { startSession } from '../../src/lib/server/mediation/sessions/change-session';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import { callClient, startCalls, type CallClient, type CallHarness } from '../support/call-harness';
import { signInDemoPeople, type DemoPeople } from '../support/demo-sessions';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
let h: CallHarness;
let people: DemoPeople;
let sessionId = 0;
let otherSessionId = 0;
let partyId = 0;
const clients: CallClient[] = [];

/** Stands in for the SMS provider: keeps the last code texted. */
let lastCode = '';
const sender: SmsSender = {
	name: 'test',
	async send(_db, message) {
		lastCode = /(\d{6})/.exec(message.body)?.[1] ?? '';
	}
};

const as = (who: string) => ({ pingli_session: people.tokens[who] });
const join = (room: string, cookies: Record<string, string>, origin?: string) => {
	const c = callClient(h, room, cookies, origin);
	clients.push(c);
	return c;
};

/** A personal link for the demo party, its code texted and entered: the grant the cookie would hold. */
async function guestGrant(session: number, now = new Date()): Promise<{ token: string; grant: string }> {
	const mediator = (await loadViewer(t.db, people.ids.mediator))!;
	const { link } = await createCallLink(t.db, mediator, session, partyId, 'http://x', { ip: '127.0.0.1', now, sender });
	const token = link.split('/').pop()!;
	await sendCallCode(t.db, token, '127.0.0.1', { now, sender });
	const { grant } = await verifyCallCode(t.db, token, lastCode, '127.0.0.1', { now });
	return { token, grant };
}

beforeAll(async () => {
	t = await createTestDatabase('demo');
	people = await signInDemoPeople(t.db);
	const [first] = await t.db.select({ id: mediationSessions.id, caseId: mediationSessions.caseId }).from(mediationSessions).limit(1);
	sessionId = first.id;
	[{ id: partyId }] = await t.db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, first.caseId)).limit(1);
	// A session of a case the demo party is not a party of (and not in the mediator's township: found by the party test only).
	const partyCases = t.db.select({ id: caseParties.caseId }).from(caseParties).where(eq(caseParties.userId, people.ids.party));
	const [other] = await t.db.select({ id: cases.id }).from(cases).where(notInArray(cases.id, partyCases)).limit(1);
	[{ id: otherSessionId }] = await t.db
		.insert(mediationSessions)
		.values({ caseId: other.id, seq: 99, scheduledAt: new Date(), remote: true, createdById: people.ids.mediator })
		.returning({ id: mediationSessions.id });
	await startSession(t.db, (await loadViewer(t.db, people.ids.mediator))!, { sessionId });
	h = await startCalls(t.db);
});
afterEach(() => {
	while (clients.length) clients.pop()!.ws.close();
});
afterAll(async () => {
	await h.close();
	await t.destroy();
});

describe('who may join a session call', () => {
	it('lets the mediator, the panelist and the party in, each sees the others, and relays offers between them', async () => {
		const mediator = join(`session:${sessionId}`, as('mediator'));
		const welcome = await mediator.next('welcome');
		expect(welcome.peers).toEqual([]);
		const panelist = join(`session:${sessionId}`, as('panelist'));
		const pw = await panelist.next('welcome');
		expect(pw.peers.map((p) => [p.name, p.role])).toEqual([[people.names.mediator, 'mediator']]);
		const joined = await mediator.next('joined');
		expect(joined.peer).toMatchObject({ id: pw.you, name: people.names.panelist, role: 'panel_member' });

		const party = join(`session:${sessionId}`, as('party'));
		const partyWelcome = await party.next('welcome');
		expect(partyWelcome.peers).toHaveLength(2);

		panelist.send({ t: 'sdp', to: welcome.you, sdp: { type: 'offer', sdp: 'v=0\r\n' }, extra: 'x'.repeat(100) });
		const offer = await mediator.next('sdp');
		// Only the checked fields travel: nothing unknown is relayed.
		expect(offer).toEqual({ t: 'sdp', from: pw.you, sdp: { type: 'offer', sdp: 'v=0\r\n' } });
		party.send({ t: 'state', audio: true, video: true });
		expect(await panelist.next('state')).toEqual({ t: 'state', id: partyWelcome.you, audio: true, video: true });
	});

	it('refuses a stranger, a visitor without a session, a party of another case and a foreign Origin', async () => {
		expect(await join(`session:${sessionId}`, as('qiujin.villager')).closed).toMatchObject({ code: CALL_CLOSE.forbidden });
		expect(await join(`session:${sessionId}`, {}).closed).toMatchObject({ code: CALL_CLOSE.forbidden });
		expect(await join(`session:${otherSessionId}`, as('party')).closed).toMatchObject({ code: CALL_CLOSE.forbidden });
		expect(await join(`session:${sessionId}`, as('mediator'), 'https://evil.example').closed).toMatchObject({ code: 403, reason: 'http' });
		expect(await join('nothing:1', as('mediator')).closed).toMatchObject({ code: 400, reason: 'http' });
	});

	it('lets a party in through a personal link and code, but not into another session, and not with an expired link', async () => {
		const { grant } = await guestGrant(sessionId);
		const guest = join(`session:${sessionId}`, { [CALL_GRANT_COOKIE]: grant });
		const welcome = await guest.next('welcome');
		expect(welcome.you).toMatch(/^p/);
		expect(await join(`session:${otherSessionId}`, { [CALL_GRANT_COOKIE]: grant }).closed).toMatchObject({ code: CALL_CLOSE.forbidden });
		expect(await join(`session:${sessionId}`, { [CALL_GRANT_COOKIE]: 'a'.repeat(24) }).closed).toMatchObject({ code: CALL_CLOSE.forbidden });

		// A link made 49 hours ago (it lasts 48): its grant no longer opens the call.
		const old = await guestGrant(sessionId, new Date(Date.now() - 49 * 3600_000));
		expect(await join(`session:${sessionId}`, { [CALL_GRANT_COOKIE]: old.grant }).closed).toMatchObject({ code: CALL_CLOSE.forbidden });
		// The new link replaced the first: the first grant's open call is closed at the next check.
		expect(await guest.closed).toMatchObject({ code: CALL_CLOSE.forbidden });
	});

	it('records joining as attendance and audit, and leaving as audit with the time spent', async () => {
		const { grant } = await guestGrant(sessionId);
		const guest = join(`session:${sessionId}`, { [CALL_GRANT_COOKIE]: grant });
		await guest.next('welcome');
		const [attended] = await t.db
			.select({ name: sessionAttendance.name, capacity: sessionAttendance.capacity, remote: sessionAttendance.remote })
			.from(sessionAttendance)
			.where(and(eq(sessionAttendance.sessionId, sessionId), isNull(sessionAttendance.userId)));
		expect(attended).toMatchObject({ capacity: 'party', remote: true });
		guest.ws.close();
		await guest.closed;
		await expect
			.poll(async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.action, 'call.leave')))[0].n)
			.toBeGreaterThan(0);
		const actions = (await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.subjectId, String(sessionId)))).map((r) => r.action);
		expect(actions).toEqual(expect.arrayContaining(['call.invite', 'call.code_sent', 'call.join', 'call.leave', 'session.attend']));
	});

	it('gives way to the same person joining again elsewhere', async () => {
		const first = join(`session:${sessionId}`, as('panelist'));
		await first.next('welcome');
		const second = join(`session:${sessionId}`, as('panelist'));
		await second.next('welcome');
		expect(await first.closed).toMatchObject({ code: CALL_CLOSE.replaced });
		expect(h.calls.peers(`session:${sessionId}`).filter((p) => p.name === people.names.panelist)).toHaveLength(1);
	});

	it('puts two people who join an empty room at the same moment in one call', async () => {
		// A fresh server: the room exists only once someone is admitted, and both are admitted at once. Each
		// admission waits on the database between finding the room and entering it; on PostgreSQL the two
		// waits overlap every time (before the fix each ended alone in a room of its own), on PGlite's one
		// connection they rarely do.
		const fresh = await startCalls(t.db);
		try {
			const room = `session:${sessionId}`;
			const open = (who: string) => {
				const c = callClient(fresh, room, as(who));
				clients.push(c);
				return c;
			};
			const [mediator, panelist] = [open('mediator'), open('panelist')];
			const [mw, pw] = await Promise.all([mediator.next('welcome'), panelist.next('welcome')]);
			// Whoever was admitted second finds the other in the welcome; the first is told it joined.
			const sees = (c: CallClient, welcome: typeof mw, other: string) =>
				welcome.peers.some((p) => p.id === other) ? Promise.resolve() : c.next('joined', (m) => m.peer.id === other);
			await Promise.all([sees(mediator, mw, pw.you), sees(panelist, pw, mw.you)]);
			expect(fresh.calls.peers(room).map((p) => p.name).sort()).toEqual([people.names.mediator, people.names.panelist].sort());
		} finally {
			await fresh.close();
		}
	});
});

describe('message budgets', () => {
	it('closes a socket that floods state changes', async () => {
		const c = join(`session:${sessionId}`, as('mediator'));
		await c.next('welcome');
		for (let i = 0; i < 2 * MESSAGE_BUDGETS.state.capacity; i++) c.send({ t: 'state', audio: i % 2 === 0, video: false });
		expect(await c.closed).toMatchObject({ code: CALL_CLOSE.overBudget });
	});

	it('closes a socket that floods ICE candidates', async () => {
		const c = join(`session:${sessionId}`, as('mediator'));
		const { you } = await c.next('welcome');
		const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 };
		// Twice the burst: the bucket refills while the server reads them, so one over would not be enough.
		for (let i = 0; i < 2 * MESSAGE_BUDGETS.ice.capacity; i++) c.send({ t: 'ice', to: you, candidate });
		expect(await c.closed).toMatchObject({ code: CALL_CLOSE.overBudget });
	});

	it('closes a socket that sends an oversized offer, a malformed frame or binary', async () => {
		const big = join(`session:${sessionId}`, as('mediator'));
		const { you } = await big.next('welcome');
		big.send({ t: 'sdp', to: you, sdp: { type: 'offer', sdp: 'a'.repeat(MESSAGE_BUDGETS.sdp.maxBytes) } });
		expect(await big.closed).toMatchObject({ code: CALL_CLOSE.tooBig });

		const bad = join(`session:${sessionId}`, as('mediator'));
		await bad.next('welcome');
		bad.send('{"t":"sdp","to":"x"}');
		expect(await bad.closed).toMatchObject({ code: CALL_CLOSE.badMessage });

		const binary = join(`session:${sessionId}`, as('mediator'));
		await binary.next('welcome');
		binary.ws.send(Buffer.from([1, 2, 3]));
		expect(await binary.closed).toMatchObject({ code: CALL_CLOSE.badMessage });
	});

	it('keeps video to six senders and the room to its size', async () => {
		const small = await startCalls(t.db, { video: 1, people: 2 });
		try {
			const open = (who: string) => {
				const c = callClient(small, `session:${sessionId}`, as(who));
				clients.push(c);
				return c;
			};
			const a = open('mediator');
			await a.next('welcome');
			a.send({ t: 'state', audio: true, video: true });
			await expect.poll(() => small.calls.peers(`session:${sessionId}`).some((p) => p.video)).toBe(true);
			const b = open('panelist');
			expect((await b.next('welcome')).peers[0]).toMatchObject({ audio: true, video: true });
			b.send({ t: 'state', audio: true, video: true });
			await b.next('video_full');
			expect(small.calls.peers(`session:${sessionId}`).filter((p) => p.video)).toHaveLength(1);
			expect(await open('party').closed).toMatchObject({ code: CALL_CLOSE.roomFull });
		} finally {
			await small.close();
		}
	});
});
