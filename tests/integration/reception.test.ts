import { and, count, eq } from 'drizzle-orm';
import { isActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SmsMessage, SmsSender } from '../../src/lib/server/sms/sms-sender';
import { CHINA_CALENDAR } from '../../src/lib/server/cases/holidays';
import { auditLog, caseParties, cases, departments, dutyRoster, places, receptionRequests } from '../../src/lib/server/db/schema';
import { trackCase } from '../../src/lib/server/public/track-case';
import { fileFromReception } from '../../src/lib/server/reception/file-from-reception';
import { listReceptionQueue } from '../../src/lib/server/reception/list-reception-queue';
import { loadReceptionCall } from '../../src/lib/server/reception/load-reception-call';
import { loadWaitingView } from '../../src/lib/server/reception/load-waiting-view';
import { requestReception } from '../../src/lib/server/reception/request-reception';
import { receptionRoomAccess } from '../../src/lib/server/reception/room-access';
import { bookableSittings, RECEPTION_REQUEST_PER_PHONE } from '../../src/lib/server/reception/rules';
import { scheduleReception } from '../../src/lib/server/reception/schedule-reception';
import { sendReceptionCode } from '../../src/lib/server/reception/send-reception-code';
import { verifyReceptionCode } from '../../src/lib/server/reception/verify-reception-code';
import type { Viewer } from '../../src/lib/types';
import * as requestPage from '../../src/routes/(public)/reception/+page.server';
import * as waitingPage from '../../src/routes/(public)/reception/[token]/+page.server';
import { SEED_TIMEOUT, viewer } from '../support/admin-fixtures';
import { routeEvent, routeOutcome } from '../support/route-event';
import { codedRefusalOf, refusalOf } from '../support/app-error';
import { createTestDatabase, type TestDatabase } from '../support/test-db';

/** Issue 14, video reception (视频接访): the request, who handles it, the link and its code, filing. */
let t: TestDatabase;
// The routes' getDb() answers with this file's database.
vi.mock('../../src/lib/server/db/index', async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => t.db }));
let place: (name: string) => number;
const sent: SmsMessage[] = [];
const sender: SmsSender = {
	name: 'test',
	async send(_db, message) {
		sent.push(message);
	}
};
const lastText = () => sent[sent.length - 1];
const ORIGIN = 'https://pingli.example';
const sittings = () => bookableSittings(new Date(), CHINA_CALENDAR);
const sittingValue = (i = 0) => `${sittings()[i].date}/${sittings()[i].halfDay}`;
const auditRows = async (action: string, id?: number) =>
	(await t.db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, action), ...(id ? [eq(auditLog.subjectId, String(id))] : []))))[0].n;
const inHours = (h: number) => new Date(Date.now() + h * 3600_000);
/** 'YYYY-MM-DDTHH:mm' in Shanghai, as a datetime-local input sends it. */
const local = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

/** A signed-in caller of the call socket (its login session is not read by the room's first check). */
const user = (v: Viewer) => ({ kind: 'user' as const, viewer: v, sessionId: 'test' });
/** A browser holding a petitioner's grant cookie. */
const guest = (grant: string | undefined) => ({ kind: 'guest' as const, grants: { reception: grant } });

let phoneSeq = 0;
const ask = async (patch: Record<string, string> = {}, ip = `198.51.100.${++phoneSeq}`) =>
	requestReception(t.db, { name: '李𠮷', phone: `1390792${String(1000 + phoneSeq)}`, matter: '邻居占了我家宅基地', sitting: sittingValue(), placeId: String(place('涂埠镇')), ...patch }, ip);

beforeAll(async () => {
	t = await createTestDatabase('demo');
	const rows = await t.db.select({ id: places.id, name: places.name }).from(places);
	place = (name) => rows.find((p) => p.name === name)!.id;
}, SEED_TIMEOUT);
afterAll(() => t.destroy());

describe('the public request', () => {
	it('stores a name outside the BMP exactly, with an audit row that keeps no name or phone', async () => {
		const { id } = await ask({ name: ' 𡈼𠮷 ', phone: '１３９ ０７９２ ０００１' });
		const [row] = await t.db.select().from(receptionRequests).where(eq(receptionRequests.id, id));
		expect(row).toMatchObject({ name: '𡈼𠮷', phone: '13907920001', status: 'requested', townshipId: place('涂埠镇') });
		const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'reception.request'), eq(auditLog.subjectId, String(id))));
		expect(JSON.stringify(audit.data)).not.toContain('𡈼');
		expect(JSON.stringify(audit.data)).not.toContain('13907920001');
	});

	it('names every bad field at once and writes nothing', async () => {
		const [{ n: before }] = await t.db.select({ n: count() }).from(receptionRequests);
		expect(await codedRefusalOf(ask({ name: '', phone: '12345', matter: 'x'.repeat(201), sitting: '2020-01-01/am', placeId: '999999' }))).toEqual({
			code: 'invalid',
			name: 'err_required',
			phone: 'err_phone_invalid',
			matter: 'err_too_long',
			sitting: 'rc_err_sitting',
			placeId: 'err_place_not_found'
		});
		const [{ n: after }] = await t.db.select({ n: count() }).from(receptionRequests);
		expect(after).toBe(before);
	});

	it('refuses a sitting on a day off or beyond the bookable days', async () => {
		const last = sittings().at(-1)!;
		const later = new Date(`${last.date}T12:00:00+08:00`);
		const beyond = bookableSittings(later, CHINA_CALENDAR)[0];
		expect(await codedRefusalOf(ask({ sitting: `${beyond.date}/am` }))).toEqual({ code: 'invalid', sitting: 'rc_err_sitting' });
	});

	it('budgets requests per phone', async () => {
		const phone = '13907925555';
		for (let i = 0; i < RECEPTION_REQUEST_PER_PHONE.max; i++) await ask({ phone }, `203.0.113.${i + 1}`);
		expect(await codedRefusalOf(ask({ phone }, '203.0.113.99'))).toBe('rate_limited');
	});

	it('budgets requests per address, whatever the phone', async () => {
		const ip = '203.0.113.200';
		const results = [];
		for (let i = 0; i < 11; i++) results.push(await codedRefusalOf(requestReception(t.db, { name: '王五', phone: `1370000${String(1000 + i)}`, matter: '事', sitting: sittingValue(), placeId: 'county' }, ip)));
		expect(results.slice(0, 10).every((r) => r === 'ok')).toBe(true);
		expect(results[10]).toBe('rate_limited');
	});

	it('takes a form token once: a re-post of the same form asks nothing twice', async () => {
		const submission = 'a'.repeat(32);
		await ask({ submission });
		expect(await codedRefusalOf(ask({ submission }))).toEqual({ code: 'conflict', _: 'rc_err_duplicate' });
	});
});

describe('who sees and handles a request', () => {
	let townshipRequest: number;
	let countyRequest: number;
	let onDuty: Viewer;
	let offDuty: Viewer;
	let otherTownship: Viewer;

	beforeAll(async () => {
		townshipRequest = (await ask()).id;
		countyRequest = (await ask({ placeId: 'county' })).id;
		const s = sittings()[0];
		const [duty] = await t.db.select({ departmentId: dutyRoster.departmentId }).from(dutyRoster).where(and(eq(dutyRoster.dutyDate, s.date), eq(dutyRoster.halfDay, s.halfDay)));
		const [other] = await t.db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.name, '县自然资源局'));
		const county = await viewer(t.db, 'county.supervisor');
		// A department member without an area role: only the roster lets them in.
		const member = { ...county, roles: [{ role: 'panelist' as const, panelistType: null }] };
		onDuty = { ...member, department: { id: duty.departmentId, name: '值班部门' } };
		offDuty = { ...member, department: other };
		const tubu = await viewer(t.db, 'tubu.supervisor');
		otherTownship = { ...tubu, place: { id: place('虬津镇'), kind: 'township', name: '虬津镇', path: tubu.place.path.replace(`/${place('涂埠镇')}/`, `/${place('虬津镇')}/`) } };
	});

	it('the township office sees its township’s requests, not the county centre’s', async () => {
		const ids = (await listReceptionQueue(t.db, await viewer(t.db, 'tubu.supervisor'))).map((r) => r.id);
		expect(ids).toContain(townshipRequest);
		expect(ids).not.toContain(countyRequest);
	});

	it('the department on duty for the preferred sitting sees the centre’s requests; another department does not', async () => {
		expect((await listReceptionQueue(t.db, onDuty)).map((r) => r.id)).toContain(countyRequest);
		expect((await listReceptionQueue(t.db, onDuty)).map((r) => r.id)).not.toContain(townshipRequest);
		expect((await listReceptionQueue(t.db, offDuty)).map((r) => r.id)).not.toContain(countyRequest);
		expect(await codedRefusalOf(loadReceptionCall(t.db, offDuty, countyRequest))).toBe('not_found');
	});

	it('another township’s staff, a village’s and a party get "not found" for the page, scheduling and filing', async () => {
		for (const who of [otherTownship, await viewer(t.db, 'qiujin.villager'), await viewer(t.db, 'villager'), await viewer(t.db, 'party')]) {
			expect(await listReceptionQueue(t.db, who)).toEqual([]);
			expect(await codedRefusalOf(loadReceptionCall(t.db, who, townshipRequest))).toBe('not_found');
			expect(await codedRefusalOf(scheduleReception(t.db, who, { id: townshipRequest, at: local(inHours(2)) }, ORIGIN, { sender }))).toBe('not_found');
			expect(await codedRefusalOf(fileFromReception(t.db, who, { id: townshipRequest }, ORIGIN, { sender }))).toBe('not_found');
			expect(await receptionRoomAccess(t.db, user(who), townshipRequest)).toBeNull();
		}
		const [row] = await t.db.select().from(receptionRequests).where(eq(receptionRequests.id, townshipRequest));
		expect(row.status).toBe('requested');
	});

	it('refuses a time in the past or too far ahead, and filing before a time is agreed', async () => {
		const tubu = await viewer(t.db, 'tubu.supervisor');
		expect(await codedRefusalOf(scheduleReception(t.db, tubu, { id: townshipRequest, at: local(inHours(-1)) }, ORIGIN, { sender }))).toEqual({ code: 'invalid', at: 'rc_err_time_past' });
		expect(await codedRefusalOf(scheduleReception(t.db, tubu, { id: townshipRequest, at: local(inHours(24 * 40)) }, ORIGIN, { sender }))).toEqual({ code: 'invalid', at: 'rc_err_time_far' });
		expect(await codedRefusalOf(scheduleReception(t.db, tubu, { id: townshipRequest, at: '明天上午' }, ORIGIN, { sender }))).toEqual({ code: 'invalid', at: 'rc_err_time' });
		expect(await codedRefusalOf(fileFromReception(t.db, tubu, { id: townshipRequest }, ORIGIN, { sender }))).toEqual({ code: 'conflict', _: 'rc_err_not_scheduled' });
	});
});

describe('the link, its code, the call room and filing', () => {
	let id: number;
	let token: string;
	let grant: string;
	let staff: Viewer;
	const at = inHours(1);

	beforeAll(async () => {
		id = (await ask({ name: '𠮷大娘' })).id;
		staff = await viewer(t.db, 'tubu.supervisor');
		const { link, texted } = await scheduleReception(t.db, staff, { id, at: local(at) }, ORIGIN, { ip: '10.0.0.1', sender });
		expect(texted).toBe(true);
		expect(lastText().body).toContain(link);
		token = link.split('/').at(-1)!;
	});

	it('scheduling texts the personal link, stores only its hash and writes its audit row', async () => {
		const [row] = await t.db.select().from(receptionRequests).where(eq(receptionRequests.id, id));
		expect(row.status).toBe('scheduled');
		expect(row.linkTokenHash).not.toContain(token);
		expect(row.linkExpiresAt!.getTime()).toBe(Math.floor(at.getTime() / 60_000) * 60_000 + 2 * 3600_000);
		expect(await auditRows('reception.schedule', id)).toBe(1);
	});

	const textedCode = () => /验证码是 (\d{6})/.exec(lastText().body)![1];

	it('a wrong code is refused and audited; the guest is not let into the room', async () => {
		await sendReceptionCode(t.db, token, '10.0.0.2', { sender });
		const real = textedCode();
		const wrong = real === '000000' ? '111111' : '000000';
		const before = await auditRows('reception.code_failed', id);
		expect(await refusalOf(verifyReceptionCode(t.db, token, wrong, '10.0.0.2'))).toEqual({ code: 'err_sign_code_wrong' });
		expect(await auditRows('reception.code_failed', id)).toBe(before + 1);
		expect(await receptionRoomAccess(t.db, guest(undefined), id)).toBeNull();
		expect((await loadWaitingView(t.db, token, undefined)).verified).toBe(false);
	});

	it('the texted code opens the waiting room once; the grant admits the guest to this room only', async () => {
		await sendReceptionCode(t.db, token, '10.0.0.3', { sender });
		const code = textedCode();
		({ grant } = await verifyReceptionCode(t.db, token, code, '10.0.0.3'));
		expect(await refusalOf(verifyReceptionCode(t.db, token, code, '10.0.0.3'))).toEqual({ code: 'err_sign_code_used' });
		const view = await loadWaitingView(t.db, token, grant);
		expect(view).toMatchObject({ verified: true, requestId: id });
		expect(await receptionRoomAccess(t.db, guest(grant), id)).toMatchObject({ role: 'petitioner' });
		expect(await receptionRoomAccess(t.db, guest('x'.repeat(24)), id)).toBeNull();
		const otherId = (await ask()).id;
		expect(await receptionRoomAccess(t.db, guest(grant), otherId)).toBeNull();
		// The same value in the session call's cookie is not a reception grant.
		expect(await receptionRoomAccess(t.db, { kind: 'guest', grants: { session: grant } }, id)).toBeNull();
		expect(await receptionRoomAccess(t.db, user(staff), id)).toMatchObject({ role: 'staff' });
	});

	it('an expired link ends: the page says so, no code is sent, nobody joins as its guest', async () => {
		const later = new Date(at.getTime() + 3 * 3600_000);
		expect(await codedRefusalOf(loadWaitingView(t.db, token, grant, { now: later }))).toEqual({ code: 'conflict', _: 'rc_err_link_ended' });
		expect(await codedRefusalOf(sendReceptionCode(t.db, token, '10.0.0.4', { now: later, sender }))).toEqual({ code: 'conflict', _: 'rc_err_link_ended' });
		expect(await receptionRoomAccess(t.db, guest(grant), id, { now: later })).toBeNull();
	});

	it('an unknown or malformed link is "not found"', async () => {
		expect(await codedRefusalOf(loadWaitingView(t.db, 'abcdefghijkmnpqrstuvwxyz', undefined))).toBe('not_found');
		expect(await codedRefusalOf(loadWaitingView(t.db, '../../etc', undefined))).toBe('not_found');
	});

	it('wrong codes are budgeted per request', async () => {
		const other = (await ask()).id;
		const { link } = await scheduleReception(t.db, staff, { id: other, at: local(inHours(3)) }, ORIGIN, { sender });
		const otherToken = link.split('/').at(-1)!;
		const answers = [];
		for (let i = 0; i < 6; i++) answers.push(await refusalOf(verifyReceptionCode(t.db, otherToken, '99999' + i, `10.1.0.${i}`)));
		expect(answers.slice(0, 5).every((a) => (a as Record<string, string>).code === 'err_sign_code_wrong')).toBe(true);
		expect(answers[5]).toBe('rate_limited');
	});

	it('staff file the matter with channel 视频接访; the request closes, the petitioner is texted what tracking needs', async () => {
		const values = { categoryId: '1', placeId: String(place('城南村')), title: '宅基地纠纷', description: '视频中陈述：邻居占了宅基地。' };
		expect(await codedRefusalOf(fileFromReception(t.db, staff, { id, ...values, title: '' }, ORIGIN, { sender }))).toEqual({ code: 'invalid', title: 'err_required' });
		expect((await t.db.select().from(receptionRequests).where(eq(receptionRequests.id, id)))[0].status).toBe('scheduled');

		const filed = await fileFromReception(t.db, staff, { id, ...values }, ORIGIN, { ip: '10.0.0.9', sender });
		const [c] = await t.db.select().from(cases).where(eq(cases.id, filed.id));
		expect(c).toMatchObject({ channel: 'video', filedById: staff.id, title: '宅基地纠纷' });
		const [party] = await t.db.select().from(caseParties).where(eq(caseParties.caseId, filed.id));
		expect(party).toMatchObject({ side: 'applicant', name: '𠮷大娘' });
		const [row] = await t.db.select().from(receptionRequests).where(eq(receptionRequests.id, id));
		expect(row).toMatchObject({ status: 'filed', caseId: filed.id, closedById: staff.id, grantHash: null });
		expect(await auditRows('reception.file', id)).toBe(1);
		expect(await auditRows('case.file', filed.id)).toBe(1);

		expect(lastText().body).toContain(filed.number);
		expect(lastText().body).toContain(filed.queryCode);
		const tracked = await trackCase(t.db, { number: filed.number, code: filed.queryCode }, '10.0.0.10');
		expect(tracked.caseId).toBe(filed.id);

		// Closed: the link has ended, nobody joins the room, and it cannot be filed or rescheduled again.
		expect(await codedRefusalOf(loadWaitingView(t.db, token, grant))).toEqual({ code: 'conflict', _: 'rc_err_link_ended' });
		expect(await receptionRoomAccess(t.db, guest(grant), id)).toBeNull();
		expect(await receptionRoomAccess(t.db, user(staff), id)).toBeNull();
		expect(await routeOutcome(() => waitingPage.load(routeEvent(`/reception/${token}`, { params: { token } })))).toBe(410);
		expect(await codedRefusalOf(fileFromReception(t.db, staff, { id, ...values }, ORIGIN, { sender }))).toEqual({ code: 'conflict', _: 'rc_err_closed' });
		expect(await codedRefusalOf(scheduleReception(t.db, staff, { id, at: local(inHours(2)) }, ORIGIN, { sender }))).toEqual({ code: 'conflict', _: 'rc_err_closed' });
	});
});

describe('the public routes', () => {
	it('a bad request is a 400 with the form refilled (the name exactly) and no bot-trap or token echoed', async () => {
		const result = await requestPage.actions.default(
			routeEvent('/reception', { form: { name: '𡈼明', phone: '123', matter: '事', sitting: sittingValue(), placeId: 'county', website: '', submission: 'b'.repeat(32) }, ip: '192.0.2.50' })
		);
		expect(isActionFailure(result)).toBe(true);
		if (!isActionFailure(result)) return;
		expect(result.status).toBe(400);
		expect(result.data).toMatchObject({ fields: { phone: 'err_phone_invalid' }, values: { name: '𡈼明', phone: '123' } });
		expect((result.data as unknown as { values: object }).values).not.toHaveProperty('submission');
	});

	it('an unknown link is a 404 page, not a hint that other links exist', async () => {
		expect(await routeOutcome(() => waitingPage.load(routeEvent('/reception/abcdefghijkmnpqrstuvwxyz', { params: { token: 'abcdefghijkmnpqrstuvwxyz' } })))).toBe(404);
	});
});
