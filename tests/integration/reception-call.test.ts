/**
 * The video reception's call at the signalling server (issue 14): the township office handling the
 * request and the petitioner holding the grant of its link's code meet in room `reception:<id>`;
 * a stranger, another petitioner's grant, an expired link's grant and another township's staff are
 * refused at the socket. A real HTTP server on port 0 with the app's signalling, real ws clients.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SmsMessage, SmsSender } from '../../src/lib/server/sms/sms-sender';
import { CALL_CLOSE } from '../../src/lib/calls/protocol';
import { createSession } from '../../src/lib/server/auth/session';
import { CALL_GRANT_COOKIE } from '../../src/lib/server/calls/call-link';
import { CHINA_CALENDAR } from '../../src/lib/server/cases/holidays';
import { auditLog, places, userRoles, users } from '../../src/lib/server/db/schema';
import { fileFromReception } from '../../src/lib/server/reception/file-from-reception';
import { RECEPTION_GRANT_COOKIE } from '../../src/lib/server/reception/reception-link';
import { requestReception } from '../../src/lib/server/reception/request-reception';
import { bookableSittings } from '../../src/lib/server/reception/rules';
import { scheduleReception } from '../../src/lib/server/reception/schedule-reception';
import { sendReceptionCode } from '../../src/lib/server/reception/send-reception-code';
import { verifyReceptionCode } from '../../src/lib/server/reception/verify-reception-code';
import { viewer } from '../support/admin-fixtures';
import { callClient, startCalls, type CallClient, type CallHarness } from '../support/call-harness';
import { signInDemoPeople, type DemoPeople } from '../support/demo-sessions';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

let t: TestDatabase;
let h: CallHarness;
let people: DemoPeople;
let place: (name: string) => number;
const clients: CallClient[] = [];
const sent: SmsMessage[] = [];
const sender: SmsSender = {
	name: 'test',
	async send(_db, message) {
		sent.push(message);
	}
};
/** 'YYYY-MM-DDTHH:mm' in Shanghai, as the staff form sends it. */
const local = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
const as = (token: string) => ({ pingli_session: token });
const join = (room: string, cookies: Record<string, string>) => {
	const c = callClient(h, room, cookies);
	clients.push(c);
	return c;
};

let seq = 0;
/**
 * A 涂埠镇 request scheduled by the township office at `at` (decided `now`), its code texted and
 * entered: the request's id and the grant the petitioner's cookie holds.
 */
async function petitioner(name: string, at: Date, now = new Date()): Promise<{ id: number; grant: string }> {
	const s = bookableSittings(new Date(), CHINA_CALENDAR)[0];
	const { id } = await requestReception(
		t.db,
		{ name, phone: `1390793${String(1000 + ++seq)}`, matter: '邻居占了我家宅基地', sitting: `${s.date}/${s.halfDay}`, placeId: String(place('涂埠镇')) },
		`198.51.100.${seq}`
	);
	const staff = await viewer(t.db, 'tubu.supervisor');
	const { link } = await scheduleReception(t.db, staff, { id, at: local(at) }, 'http://x', { now, sender });
	const token = link.split('/').at(-1)!;
	await sendReceptionCode(t.db, token, '10.0.0.1', { now, sender });
	const code = /验证码是 (\d{6})/.exec(sent[sent.length - 1].body)![1];
	const { grant } = await verifyReceptionCode(t.db, token, code, '10.0.0.1', { now });
	return { id, grant };
}

let otherTownshipToken = '';

beforeAll(async () => {
	t = await createTestDatabase('demo');
	people = await signInDemoPeople(t.db, ['tubu.supervisor', 'qiujin.villager', 'party']);
	const rows = await t.db.select({ id: places.id, name: places.name }).from(places);
	place = (name) => rows.find((p) => p.name === name)!.id;
	// The office of another township (虬津镇): staff like tubu.supervisor, elsewhere.
	const [other] = await t.db
		.insert(users)
		.values({ username: 'qiujin.supervisor', name: '虬津镇司法所 䶮', passwordHash: 'x', placeId: place('虬津镇') })
		.returning({ id: users.id });
	await t.db.insert(userRoles).values({ userId: other.id, role: 'supervisor' });
	otherTownshipToken = (await createSession(t.db, other.id)).token;
	h = await startCalls(t.db);
});
afterEach(() => {
	while (clients.length) clients.pop()!.ws.close();
});
afterAll(async () => {
	await h.close();
	await t.destroy();
});

describe('who may join a video reception call', () => {
	it('lets the township office and the petitioner in; they see each other; joining and leaving are audited', async () => {
		const { id, grant } = await petitioner('𠮷大娘', new Date(Date.now() + 3600_000));
		const room = `reception:${id}`;
		const staff = join(room, as(people.tokens['tubu.supervisor']));
		const sw = await staff.next('welcome');
		const guest = join(room, { [RECEPTION_GRANT_COOKIE]: grant });
		const gw = await guest.next('welcome');
		expect(gw.peers.map((p) => [p.name, p.role])).toEqual([[people.names['tubu.supervisor'], 'staff']]);
		expect((await staff.next('joined')).peer).toMatchObject({ id: gw.you, name: '𠮷大娘', role: 'petitioner' });
		guest.send({ t: 'sdp', to: sw.you, sdp: { type: 'offer', sdp: 'v=0\r\n' } });
		expect(await staff.next('sdp')).toEqual({ t: 'sdp', from: gw.you, sdp: { type: 'offer', sdp: 'v=0\r\n' } });
		guest.ws.close();
		await guest.closed;
		const rows = (action: string) =>
			t.db
				.select({ n: count() })
				.from(auditLog)
				.where(and(eq(auditLog.action, action), eq(auditLog.subjectType, 'reception'), eq(auditLog.subjectId, String(id))))
				.then((r) => r[0].n);
		expect(await rows('call.join')).toBe(2);
		await expect.poll(() => rows('call.leave')).toBe(1);
	});

	it('refuses a stranger, a party of a case, a visitor without cookies, another petitioner’s grant, a session call’s cookie and another township’s staff', async () => {
		const mine = await petitioner('李𡈼', new Date(Date.now() + 3600_000));
		const theirs = await petitioner('王䶮', new Date(Date.now() + 3600_000));
		const room = `reception:${mine.id}`;
		const refused = { code: CALL_CLOSE.forbidden };
		expect(await join(room, as(people.tokens['qiujin.villager'])).closed).toMatchObject(refused);
		expect(await join(room, as(people.tokens.party)).closed).toMatchObject(refused);
		expect(await join(room, {}).closed).toMatchObject(refused);
		expect(await join(room, { [RECEPTION_GRANT_COOKIE]: theirs.grant }).closed).toMatchObject(refused);
		expect(await join(room, { [CALL_GRANT_COOKIE]: mine.grant }).closed).toMatchObject(refused);
		expect(await join(room, as(otherTownshipToken)).closed).toMatchObject(refused);
		// Their own grant still opens their own room.
		expect((await join(`reception:${theirs.id}`, { [RECEPTION_GRANT_COOKIE]: theirs.grant }).next('welcome')).you).toMatch(/^p/);
	}, 60_000);

	it('refuses the grant of a link that has ended', async () => {
		// Agreed five hours ago for four hours ago: the link ended two hours after that time.
		const past = new Date(Date.now() - 5 * 3600_000);
		const old = await petitioner('赵大爷', new Date(past.getTime() + 3600_000), past);
		expect(await join(`reception:${old.id}`, { [RECEPTION_GRANT_COOKIE]: old.grant }).closed).toMatchObject({ code: CALL_CLOSE.forbidden });
	});

	it('closes both seats once the matter is filed from the call', async () => {
		const { id, grant } = await petitioner('孙𠮷', new Date(Date.now() + 3600_000));
		const staff = join(`reception:${id}`, as(people.tokens['tubu.supervisor']));
		await staff.next('welcome');
		const guest = join(`reception:${id}`, { [RECEPTION_GRANT_COOKIE]: grant });
		await guest.next('welcome');
		const values = { categoryId: '1', placeId: String(place('城南村')), title: '宅基地纠纷', description: '视频中陈述。' };
		await fileFromReception(t.db, await viewer(t.db, 'tubu.supervisor'), { id, ...values }, 'http://x', { sender });
		expect(await guest.closed).toMatchObject({ code: CALL_CLOSE.forbidden });
		expect(await staff.closed).toMatchObject({ code: CALL_CLOSE.forbidden });
	});
});
