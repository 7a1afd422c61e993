import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsSender } from '../../src/lib/server/sms/sms-sender';
import { getAgreement } from '../../src/lib/server/agreements/get-agreement';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { listCases } from '../../src/lib/server/cases/list/list-cases';
import { parseListFilters } from '../../src/lib/server/cases/list/rules';
import { loadVisibleCase } from '../../src/lib/server/cases/work/case-snapshot';
import { sessionAuthenticator } from '../../src/lib/server/collab/app-auth';
import { auditLog, caseEvents, caseParties, mediationSessions, partyLoginCodes, smsOutbox, userRoles, users } from '../../src/lib/server/db/schema';
import { downloadCopy } from '../../src/lib/server/documents/download-copy';
import { AppError } from '../../src/lib/server/errors';
import { parseDocName } from '../../src/lib/server/collab/doc-name';
import { recordDocName } from '../../src/lib/server/mediation/document-access';
import { documentAccess } from '../../src/lib/server/start-collab';
import { correctPartyPhone } from '../../src/lib/server/parties/correct-party-phone';
import { listMyCases } from '../../src/lib/server/parties/list-my-cases';
import { requestLoginCode } from '../../src/lib/server/parties/request-login-code';
import { sendPartyInvitation } from '../../src/lib/server/parties/send-party-invitation';
import { verifyLoginCode } from '../../src/lib/server/parties/verify-login-code';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import type { Viewer } from '../../src/lib/types';
import { newCase, setUpCasework, type Casework } from './casework-fixtures';
import { expectAppError } from '../support/app-error';

let w: Casework;
const base = new Date('2026-03-10T02:00:00Z');
const at = (seconds: number) => new Date(base.getTime() + seconds * 1000);
// Phones fresh to this file: 𠮷 lives in two cases, the other party in one; STRANGER is on no case.
const JI = '13907921001';
const OTHER = '13907921002';
const STRANGER = '13907921999';
let ids: { jiCase: number; jiCase2: number; otherCase: number; jiSession: number; otherSession: number };

/** The code of the newest text to a phone, read from the development outbox as the e2e tests do. */
async function textedCode(phone: string): Promise<string | null> {
	const rows = await w.t.db.select({ body: smsOutbox.body }).from(smsOutbox).where(eq(smsOutbox.phone, phone)).orderBy(asc(smsOutbox.id));
	const last = rows.at(-1)?.body.match(/验证码是 (\d{6})/);
	return last ? last[1] : null;
}

async function signIn(phone: string, ip: string, now: Date): Promise<Viewer> {
	await requestLoginCode(w.t.db, phone, ip, { now });
	const code = await textedCode(phone);
	const { session } = await verifyLoginCode(w.t.db, { phone, code }, ip, { now });
	return (await loadViewer(w.t.db, session.userId))!;
}

beforeAll(async () => {
	w = await setUpCasework();
	const mediator = w.viewers.mediator;
	const file = async (applicant: string, phone: string) =>
		(
			await fileCase(
				w.t.db,
				mediator,
				newCase(w.placeIds, {
					parties: [
						{ side: 'applicant', name: applicant, phone },
						{ side: 'respondent', name: '李某', phone: '13907921888' }
					]
				})
			)
		).id;
	const jiCase = await file('𠮷大娘', JI);
	// The same person on a second case, the number typed with +86 and spaces.
	const jiCase2 = await file('𠮷大娘', `+86 ${JI.slice(0, 3)} ${JI.slice(3)}`);
	const otherCase = await file('王某', OTHER);
	const session = async (caseId: number) =>
		(await w.t.db.insert(mediationSessions).values({ caseId, seq: 1, scheduledAt: at(3600), location: '城南村调解室', createdById: mediator.id }).returning({ id: mediationSessions.id }))[0].id;
	ids = { jiCase, jiCase2, otherCase, jiSession: await session(jiCase), otherSession: await session(otherCase) };
}, 180_000);
afterAll(() => w.t.destroy());

describe('asking for a code', () => {
	it('answers the same whether or not the number is on a case, and texts only a number on a case', async () => {
		const onCase = await requestLoginCode(w.t.db, JI, '10.0.0.1', { now: at(0) });
		const offCase = await requestLoginCode(w.t.db, STRANGER, '10.0.0.1', { now: at(0) });
		expect(offCase).toEqual({ ...onCase, phone: STRANGER });
		expect(await textedCode(JI)).toMatch(/^\d{6}$/);
		expect(await textedCode(STRANGER)).toBeNull();
		// Not filed under a case: a case's outbox page (read by its staff) must not show a sign-in code.
		expect((await w.t.db.select({ caseId: smsOutbox.caseId }).from(smsOutbox).where(eq(smsOutbox.phone, JI)))[0].caseId).toBeNull();
		// A hashed code row either way, never the code itself.
		const rows = await w.t.db.select().from(partyLoginCodes).where(eq(partyLoginCodes.phone, STRANGER));
		expect(rows).toHaveLength(1);
		expect(rows[0].codeHash).toMatch(/^[0-9a-f]{64}$/);
		const [stored] = await w.t.db.select().from(partyLoginCodes).where(eq(partyLoginCodes.phone, JI));
		expect(stored.codeHash).not.toContain((await textedCode(JI))!);
		// The wait before another code is the same too.
		expect(await requestLoginCode(w.t.db, JI, '10.0.0.1', { now: at(10) })).toEqual({ phone: JI, resendIn: 50, accepted: false });
		expect(await requestLoginCode(w.t.db, STRANGER, '10.0.0.1', { now: at(10) })).toEqual({ phone: STRANGER, resendIn: 50, accepted: false });
	});

	it('never texts a code to a number that belongs to a staff account, even when it is on a case', async () => {
		const staffPhone = '13800138003'; // the demo mediator
		await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { parties: [{ side: 'applicant', name: '王秀英', phone: staffPhone }] }));
		const answer = await requestLoginCode(w.t.db, staffPhone, '10.0.0.2', { now: at(0) });
		expect(answer.accepted).toBe(true);
		expect(await textedCode(staffPhone)).toBeNull();
		await expectAppError(verifyLoginCode(w.t.db, { phone: staffPhone, code: '123456' }, '10.0.0.2', { now: at(1) }), 400, { code: 'pt_err_code_wrong' });
	});

	it('refuses a malformed number with a field message', async () => {
		await expectAppError(requestLoginCode(w.t.db, '12345', '10.0.0.3', { now: at(0) }), 400, { phone: 'pt_err_phone' });
		await expectAppError(requestLoginCode(w.t.db, '1'.repeat(5000), '10.0.0.3', { now: at(0) }), 400, { phone: 'pt_err_phone' });
	});

	it('sends at most five codes an hour to one phone', async () => {
		const phone = '13907921501';
		for (let i = 0; i < 5; i++) expect((await requestLoginCode(w.t.db, phone, `10.1.0.${i}`, { now: at(i * 61) })).accepted).toBe(true);
		await expectAppError(requestLoginCode(w.t.db, phone, '10.1.0.9', { now: at(5 * 61) }), 'rate_limited');
	});

	it('sends at most twenty codes per address, counted atomically for parallel requests', async () => {
		const phones = Array.from({ length: 26 }, (_, i) => `139079230${String(i).padStart(2, '0')}`);
		const results = await Promise.allSettled(phones.map((p) => requestLoginCode(w.t.db, p, '10.2.0.1', { now: at(0) })));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
		const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(refused).toHaveLength(6);
		for (const r of refused) expect((r.reason as AppError).code).toBe('rate_limited');
		expect(await w.t.db.$count(partyLoginCodes, and(eq(partyLoginCodes.phone, phones[0])))).toBeLessThanOrEqual(1);
	});
});

describe('checking a code', () => {
	it('accepts only the newest code, once, before it expires', async () => {
		const phone = OTHER;
		await requestLoginCode(w.t.db, phone, '10.3.0.1', { now: at(0) });
		const first = (await textedCode(phone))!;
		await requestLoginCode(w.t.db, phone, '10.3.0.1', { now: at(61) });
		const second = (await textedCode(phone))!;
		if (first !== second) {
			await expectAppError(verifyLoginCode(w.t.db, { phone, code: first }, '10.3.0.1', { now: at(62) }), 400, { code: 'pt_err_code_wrong' });
		}
		// Expired ten minutes after it was sent.
		await expectAppError(verifyLoginCode(w.t.db, { phone, code: second }, '10.3.0.1', { now: at(61 + 601) }), 400, { code: 'pt_err_code_expired' });
		await requestLoginCode(w.t.db, phone, '10.3.0.1', { now: at(700) });
		const third = (await textedCode(phone))!;
		// Full-width digits and spaces are forgiven.
		const typed = third.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))).replace(/^(..)/, '$1 ');
		const { token } = await verifyLoginCode(w.t.db, { phone, code: typed }, '10.3.0.1', { now: at(701) });
		expect(await validateSessionToken(w.t.db, token, at(702))).not.toBeNull();
		await expectAppError(verifyLoginCode(w.t.db, { phone, code: third }, '10.3.0.1', { now: at(702) }), 400, { code: 'pt_err_code_used' });
	});

	it('lets two submissions of one code make only one session', async () => {
		const phone = '13907921601';
		await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { parties: [{ side: 'applicant', name: '赵某', phone }] }));
		await requestLoginCode(w.t.db, phone, '10.4.0.1', { now: at(0) });
		const code = await textedCode(phone);
		const results = await Promise.allSettled([1, 2, 3].map((i) => verifyLoginCode(w.t.db, { phone, code }, `10.4.0.${i}`, { now: at(1) })));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(await w.t.db.$count(users, eq(users.phone, phone))).toBe(1);
	});

	it('allows five attempts per phone, counted atomically for parallel guesses, then refuses even the right code', async () => {
		const phone = '13907921701';
		await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { parties: [{ side: 'applicant', name: '钱某', phone }] }));
		await requestLoginCode(w.t.db, phone, '10.5.0.1', { now: at(0) });
		const code = (await textedCode(phone))!;
		const wrong = code === '000000' ? '111111' : '000000';
		const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => verifyLoginCode(w.t.db, { phone, code: wrong }, `10.5.1.${i}`, { now: at(1) })));
		const reasons = results.map((r) => ((r as PromiseRejectedResult).reason as AppError).fields.code);
		expect(reasons.filter((r) => r === 'pt_err_code_wrong')).toHaveLength(5);
		expect(reasons.filter((r) => r === 'pt_err_code_limited')).toHaveLength(7);
		await expectAppError(verifyLoginCode(w.t.db, { phone, code }, '10.5.2.1', { now: at(2) }), 'rate_limited', { code: 'pt_err_code_limited' });
	});

	it('allows thirty attempts per address across phones, in parallel', async () => {
		const results = await Promise.allSettled(
			Array.from({ length: 36 }, (_, i) => verifyLoginCode(w.t.db, { phone: `139079240${String(i).padStart(2, '0')}`, code: '123456' }, '10.6.0.1', { now: at(0) }))
		);
		const reasons = results.map((r) => ((r as PromiseRejectedResult).reason as AppError).fields.code);
		expect(reasons.filter((r) => r === 'pt_err_code_wrong')).toHaveLength(30);
		expect(reasons.filter((r) => r === 'pt_err_code_limited')).toHaveLength(6);
	});
});

describe('a party signed in by phone', () => {
	let ji: Viewer;
	beforeAll(async () => {
		ji = await signIn(JI, '10.7.0.1', at(2000));
	});

	it('gets a party account without a password, named after the case party, linked to every case with that phone', async () => {
		expect(ji.roles).toEqual([{ role: 'party', panelistType: null }]);
		expect(ji.name).toBe('𠮷大娘');
		expect(ji.phone).toBe(JI);
		expect(ji.place.id).toBe(w.placeIds['城南村']);
		const linked = await w.t.db.select({ caseId: caseParties.caseId }).from(caseParties).where(eq(caseParties.userId, ji.id));
		expect(linked.map((l) => l.caseId).sort()).toEqual([ids.jiCase, ids.jiCase2].sort());
		const actions = (await w.t.db.select({ action: auditLog.action }).from(auditLog)).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['party.account_create', 'party.link', 'auth.login']));
		// Signing in again finds the same account.
		const again = await signIn(JI, '10.7.0.1', at(2100));
		expect(again.id).toBe(ji.id);
	});

	it('sees exactly their cases: list, home page, case page, live record read-only', async () => {
		const mine = await listMyCases(w.t.db, ji);
		expect(mine.map((c) => c.id).sort()).toEqual([ids.jiCase, ids.jiCase2].sort());
		expect(mine.find((c) => c.id === ids.jiCase)!.nextSession?.id).toBe(ids.jiSession);
		const list = await listCases(w.t.db, ji, parseListFilters(new URLSearchParams()).filters);
		expect(list.rows.map((r) => r.id).sort()).toEqual([ids.jiCase, ids.jiCase2].sort());
		expect((await loadVisibleCase(w.t.db, ji, ids.jiCase)).id).toBe(ids.jiCase);
		expect(await documentAccess(w.t.db, ji, recordDocName(ids.jiSession))).toBe('read');
	});

	it('sees nothing of another case: case page, live record, agreement, copies', async () => {
		await expectAppError(loadVisibleCase(w.t.db, ji, ids.otherCase), 'not_found');
		expect(await documentAccess(w.t.db, ji, recordDocName(ids.otherSession))).toBeNull();
		expect(await documentAccess(w.t.db, ji, `agreement:${ids.otherCase}`)).toBeNull();
		await expectAppError(getAgreement(w.t.db, ji, ids.otherCase), 'not_found');
		await expectAppError(downloadCopy(w.t.db, ji, ids.otherCase, 'committee', 'http://localhost'), 'not_found');
	});

	it('may not correct phones or send invitations', async () => {
		await expectAppError(correctPartyPhone(w.t.db, ji, { caseId: ids.jiCase, partyId: 1, phone: '13907921333' }), ['forbidden', 'not_found']);
		await expectAppError(sendPartyInvitation(w.t.db, ji, { caseId: ids.jiCase, partyId: 1 }, { origin: 'http://localhost' }), ['forbidden', 'not_found']);
	});
});

describe('staff correcting a phone and sending the sign-in text', () => {
	let ji: Viewer;
	let sessionId: string;
	let jiParty: number;
	beforeAll(async () => {
		const [row] = await w.t.db.select({ userId: users.id }).from(users).where(eq(users.phone, JI));
		ji = (await loadViewer(w.t.db, row.userId))!;
		// Signed in at the real time: the socket check reads session expiry against the clock.
		await requestLoginCode(w.t.db, JI, '10.8.0.1');
		const { session } = await verifyLoginCode(w.t.db, { phone: JI, code: await textedCode(JI) }, '10.8.0.1');
		sessionId = session.id;
		[{ id: jiParty }] = await w.t.db.select({ id: caseParties.id }).from(caseParties).where(and(eq(caseParties.caseId, ids.jiCase), eq(caseParties.phone, JI)));
	});

	it('is refused to people who do not run the case', async () => {
		await expectAppError(correctPartyPhone(w.t.db, w.viewers['qiujin.villager'], { caseId: ids.jiCase, partyId: jiParty, phone: '13907921333' }), 'not_found');
		await expectAppError(correctPartyPhone(w.t.db, w.viewers.panelist, { caseId: ids.jiCase, partyId: jiParty, phone: '13907921333' }), 'not_found');
		await expectAppError(correctPartyPhone(w.t.db, w.viewers.villager, { caseId: ids.jiCase, partyId: jiParty, phone: '13907921333' }), 'forbidden');
		await expectAppError(sendPartyInvitation(w.t.db, w.viewers.villager, { caseId: ids.jiCase, partyId: jiParty }, { origin: 'http://localhost' }), 'forbidden');
		// A party id of another case is not found through this one.
		const [other] = await w.t.db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, ids.otherCase)).limit(1);
		await expectAppError(correctPartyPhone(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: other.id, phone: '13907921333' }), 'not_found');
		await expectAppError(correctPartyPhone(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: jiParty, phone: 'not a phone' }), 400, { phone: 'pt_err_phone' });
	});

	it('texts the party how to sign in, audited and on the timeline, at most three times an hour', async () => {
		const sent: { phone: string; body: string }[] = [];
		const sender: SmsSender = { name: 'test', send: async (_db, msg) => void sent.push(msg) };
		await sendPartyInvitation(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: jiParty }, { origin: 'https://pingli.example', ip: '10.9.0.1', now: at(0), sender });
		expect(sent[0].phone).toBe(JI);
		expect(sent[0].body).toContain('https://pingli.example/login/phone');
		expect(await w.t.db.$count(caseEvents, and(eq(caseEvents.caseId, ids.jiCase), eq(caseEvents.kind, 'party_invite')))).toBe(1);
		expect(await w.t.db.$count(auditLog, eq(auditLog.action, 'case.party_invite'))).toBe(1);
		await sendPartyInvitation(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: jiParty }, { origin: 'https://pingli.example', ip: '10.9.0.1', now: at(0), sender });
		await sendPartyInvitation(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: jiParty }, { origin: 'https://pingli.example', ip: '10.9.0.1', now: at(0), sender });
		await expectAppError(sendPartyInvitation(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: jiParty }, { origin: 'https://pingli.example', ip: '10.9.0.1', now: at(0), sender }), 'rate_limited');
		expect(sent).toHaveLength(3);
	});

	it('takes the case away from the old number at once: page, record, open socket', async () => {
		const auth = sessionAuthenticator(async () => w.t.db, { access: documentAccess });
		const grant = { userId: ji.id, sessionId, access: 'read' as const, identity: {} };
		expect(await auth.revalidate([{ grant, doc: parseDocName(recordDocName(ids.jiSession))! }])).toEqual([true]);

		const done = await correctPartyPhone(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: jiParty, phone: '139 0792 1333' }, { ip: '10.9.0.2' });
		expect(done).toMatchObject({ phoneTail: '1333', unlinkedUserId: ji.id, linkedUserId: null });

		await expectAppError(loadVisibleCase(w.t.db, ji, ids.jiCase), 'not_found');
		expect(await documentAccess(w.t.db, ji, recordDocName(ids.jiSession))).toBeNull();
		expect(await auth.revalidate([{ grant, doc: parseDocName(recordDocName(ids.jiSession))! }])).toEqual([false]);
		// The other case with the same old number is untouched.
		expect((await loadVisibleCase(w.t.db, ji, ids.jiCase2)).id).toBe(ids.jiCase2);
		expect((await listMyCases(w.t.db, ji)).map((c) => c.id)).toEqual([ids.jiCase2]);

		const [audit] = await w.t.db.select().from(auditLog).where(eq(auditLog.action, 'case.party_phone_correct'));
		expect(audit.data).toMatchObject({ partyId: jiParty, oldPhone: '*******1001', newPhone: '*******1333', unlinkedUserId: ji.id });
		expect(await w.t.db.$count(caseEvents, and(eq(caseEvents.caseId, ids.jiCase), eq(caseEvents.kind, 'party_phone_correct')))).toBe(1);
		// A sign-in with the old number does not bring it back.
		await signIn(JI, '10.9.0.3', new Date(Date.now() + 120_000));
		await expectAppError(loadVisibleCase(w.t.db, ji, ids.jiCase), 'not_found');
	});

	it('links the new number at its sign-in, or at once when it already has a party account', async () => {
		const newcomer = await signIn('13907921333', '10.9.1.1', at(10000));
		expect((await loadVisibleCase(w.t.db, newcomer, ids.jiCase)).id).toBe(ids.jiCase);
		// Back to the first number, which has an account: linked in the same change.
		const back = await correctPartyPhone(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: jiParty, phone: JI }, { ip: '10.9.1.2' });
		expect(back).toMatchObject({ unlinkedUserId: newcomer.id, linkedUserId: ji.id });
		expect((await loadVisibleCase(w.t.db, ji, ids.jiCase)).id).toBe(ids.jiCase);
		await expectAppError(loadVisibleCase(w.t.db, newcomer, ids.jiCase), 'not_found');
		await expectAppError(correctPartyPhone(w.t.db, w.viewers.mediator, { caseId: ids.jiCase, partyId: jiParty, phone: JI }), 'conflict', { phone: 'pt_err_same_phone' });
		expect(await w.t.db.$count(userRoles, eq(userRoles.userId, ji.id))).toBe(1);
	});
});

describe('a case filed after the sign-in', () => {
	it('is linked on the home page for a number proved by a code, never for a number an administrator typed in', async () => {
		const phone = '13907921801';
		const first = (await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { parties: [{ side: 'applicant', name: '孙某', phone }] }))).id;
		const person = await signIn(phone, '10.10.0.1', at(20000));
		const later = (await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { parties: [{ side: 'applicant', name: '孙某', phone }] }))).id;
		await expectAppError(loadVisibleCase(w.t.db, person, later), 'not_found');
		expect((await listMyCases(w.t.db, person)).map((c) => c.id).sort()).toEqual([first, later].sort());
		expect((await loadVisibleCase(w.t.db, person, later)).id).toBe(later);

		// The demo party account's number was set by an administrator, not proved by a code.
		const demo = w.viewers.party;
		const theirs = (await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { parties: [{ side: 'applicant', name: '孙大伯', phone: demo.phone! }] }))).id;
		expect((await listMyCases(w.t.db, demo)).map((c) => c.id)).not.toContain(theirs);
		await expectAppError(loadVisibleCase(w.t.db, demo, theirs), 'not_found');
	});
});
