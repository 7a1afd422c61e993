import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/lib/server/audit/verify-chain';
import type { FiledCase } from '../../src/lib/server/cases/intake/file-case';
import { transitionCase } from '../../src/lib/server/cases/work/transition-case';
import { auditLog, caseEvents, cases, places, rateLimits, users } from '../../src/lib/server/db/schema';
import { RateLimitedError, retryMinutes } from '../../src/lib/server/auth/rate-limit';
import { AppError } from '../../src/lib/server/errors';
import { filePublicCase } from '../../src/lib/server/public/file-public-case';
import { ratePublicCase } from '../../src/lib/server/public/rate-public-case';
import { maskName, normalizeCaseNumber, normalizeQueryCode, ratingRefusal } from '../../src/lib/server/public/rules';
import { trackCase } from '../../src/lib/server/public/track-case';
import { createTrackHandle, readTrackHandle, TRACK_HANDLE_TTL_MS } from '../../src/lib/server/public/track-handle';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import type { Viewer } from '../../src/lib/types';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { refusalOf } from '../support/app-error';

let t: TestDatabase;
const placeIds: Record<string, number> = {};
let mediator: Viewer;

const PHONE = '13907920011';
const ID_NUMBER = '11010519491231002X';

// Seeding hashes eleven demo passwords with argon2id: slow on a busy machine.
beforeAll(async () => {
	t = await createTestDatabase('demo');
	for (const p of await t.db.select({ id: places.id, name: places.name }).from(places)) placeIds[p.name] = p.id;
	const [{ id }] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, 'mediator'));
	mediator = (await loadViewer(t.db, id))!;
}, 180_000);
afterAll(() => t.destroy());

let seq = 0;
/** A resident's online filing; each one from its own phone and address so budgets do not interfere. */
async function file(phone = `1370792${String(++seq).padStart(4, '0')}`): Promise<FiledCase> {
	return filePublicCase(
		t.db,
		{
			name: '孙大伯',
			phone,
			idNumber: ID_NUMBER.toLowerCase(),
			placeId: String(placeIds['城南村']),
			categoryId: '3',
			title: '宅基地边界纠纷',
			description: '与邻居李某因宅基地边界的围墙发生争执。',
			otherParty: '李某'
		},
		`198.18.0.${seq}`
	);
}

/** Everything a caller can observe of a failure. */
async function failureOf(p: Promise<unknown>) {
	try {
		await p;
		return 'ok';
	} catch (err) {
		if (!(err instanceof AppError)) throw err;
		return { name: err.name, code: err.code, message: err.message, fields: err.fields };
	}
}

async function conclude(id: number, status: 'concluded' | 'follow_up' | 'archived' = 'concluded') {
	const at = new Date(Date.now() - 2 * 86_400_000);
	await t.db.update(cases).set({ status, acceptedAt: at, assignedAt: at, concludedAt: at }).where(eq(cases.id, id));
}

async function caseCounts(id: number) {
	const [[e], [a]] = await Promise.all([
		t.db.select({ n: count() }).from(caseEvents).where(eq(caseEvents.caseId, id)),
		t.db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.subjectType, 'case'), eq(auditLog.subjectId, String(id))))
	]);
	const [row] = await t.db
		.select({ rating: cases.publicRating, comment: cases.publicRatingComment, at: cases.publicRatedAt })
		.from(cases)
		.where(eq(cases.id, id));
	return { events: e.n, audit: a.n, ...row };
}

describe('public rules', () => {
	it('reads case numbers and codes as people type them', () => {
		expect(normalizeCaseNumber('２０２６－０００１２３')).toBe('2026-000123');
		expect(normalizeCaseNumber(' 2026 123 ')).toBe('2026-000123');
		expect(normalizeCaseNumber('2026000123')).toBe('2026-000123');
		expect(normalizeCaseNumber('2026—42')).toBe('2026-000042');
		expect(normalizeCaseNumber('26-1')).toBeNull();
		expect(normalizeCaseNumber('2026-1234567')).toBeNull();
		expect(normalizeQueryCode(' abcd-2345 ')).toBe('ABCD2345');
		expect(normalizeQueryCode('ＡＢＣＤ２３４５')).toBe('ABCD2345');
	});

	it('masks names to the first character', () => {
		expect(maskName('孙大伯')).toBe('孙**');
		expect(maskName('孙')).toBe('孙*');
		expect(maskName('欧阳小明')).toBe('欧***');
	});

	it('allows a rating only after conclusion and only once', () => {
		for (const status of ['registered', 'not_accepted', 'accepted', 'assigned', 'in_mediation']) {
			expect(ratingRefusal({ status, publicRating: null })).toBe('public_rate_not_yet');
		}
		for (const status of ['concluded', 'follow_up', 'archived']) {
			expect(ratingRefusal({ status, publicRating: null })).toBeNull();
			expect(ratingRefusal({ status, publicRating: 4 })).toBe('public_rate_done');
		}
	});

	it('signs tracking handles that cannot be forged or kept past their time', () => {
		const now = new Date('2026-03-01T08:00:00Z');
		const handle = createTrackHandle(42, now);
		expect(readTrackHandle(handle, now)).toBe(42);
		expect(readTrackHandle(handle.replace(/^42\./, '43.'), now)).toBeNull();
		expect(readTrackHandle(handle.slice(0, -1) + (handle.endsWith('A') ? 'B' : 'A'), now)).toBeNull();
		expect(readTrackHandle(handle, new Date(now.getTime() + TRACK_HANDLE_TTL_MS + 1))).toBeNull();
		expect(readTrackHandle(undefined, now)).toBeNull();
		expect(readTrackHandle('42', now)).toBeNull();
	});
});

describe('trackCase', () => {
	it('shows status, public timeline, due date and handling level with personal data masked', async () => {
		const filed = await file(PHONE);
		// Lower case, full-width digits and spaces are accepted.
		const typedNumber = filed.number.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
		const { view } = await trackCase(t.db, { number: typedNumber, code: ` ${filed.queryCode.toLowerCase()} ` }, '198.18.1.1');
		expect(view).toMatchObject({
			number: filed.number,
			title: '宅基地边界纠纷',
			status: 'registered',
			category: { zh: '邻里纠纷', en: 'Neighbours' },
			handlingPlace: { name: '城南村', kind: 'village' },
			applicants: [{ name: '孙**', phone: '*******0011' }],
			due: { clock: 'notifyBy' },
			rating: null,
			canRate: false
		});
		expect(view.due?.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(view.timeline.map((e) => [e.kind, e.toStatus, e.text])).toEqual([['filed', 'registered', null]]);
	});

	it('never shows staff-only entries, staff notes, staff names, respondents, the description or full personal data', async () => {
		const filed = await file(PHONE.replace(/1$/, '2'));
		const step = (command: Record<string, unknown>) => transitionCase(t.db, mediator, filed.id, command, { ip: '10.0.0.9' });
		// Notes on accepting and routing are staff-only; an extension's reason and the reply are told to the petitioner.
		await step({ type: 'accept', note: '内部：申请人情绪激动，注意安全' });
		await step({ type: 'assign', mediatorId: mediator.id, note: '内部：需与镇里沟通' });
		await step({ type: 'start_mediation' });
		await step({ type: 'extend', days: 10, reason: '需要补充调查' });
		await step({ type: 'conclude', reason: '双方达成一致', summary: '围墙后退半米，费用各半。' });
		await t.db.insert(caseEvents).values({ caseId: filed.id, at: new Date(), actorId: mediator.id, kind: 'staff_note', note: '内部：另一方有前科', public: false });

		const { view } = await trackCase(t.db, { number: filed.number, code: filed.queryCode }, '198.18.1.2');
		expect(view.status).toBe('concluded');
		expect(view.extensionDays).toBe(10);
		expect(view.timeline.map((e) => [e.kind, e.toStatus, e.text, e.summary])).toEqual([
			['filed', 'registered', null, null],
			['accept', 'accepted', null, null],
			['assign', 'assigned', null, null],
			['start_mediation', 'in_mediation', null, null],
			['extend', 'in_mediation', '需要补充调查', null],
			['conclude', 'concluded', '双方达成一致', '围墙后退半米，费用各半。']
		]);
		expect(view.due?.clock).toBe('reviewRequestBy');
		const json = JSON.stringify(view);
		for (const secret of ['内部', mediator.name, '王秀英', 'mediator', 'actorId', 'actedAs', 'handleBy', '李某', '与邻居', PHONE.replace(/1$/, '2'), ID_NUMBER, ID_NUMBER.slice(-4), '孙大伯']) {
			expect(json, secret).not.toContain(secret);
		}
		expect(Object.keys(view).sort()).toEqual(
			['applicants', 'canRate', 'category', 'due', 'extensionDays', 'handlingPlace', 'number', 'rating', 'registeredAt', 'reviewStage', 'stage', 'stages', 'status', 'timeline', 'title'].sort()
		);
	});

	it('answers a wrong code exactly as a wrong number, and charges both the same way', async () => {
		const filed = await file();
		const wrongCode = filed.queryCode === 'ABCDEFGH' ? 'ABCDEFGJ' : 'ABCDEFGH';
		const unknownNumber = '1999-000001';
		const a = await failureOf(trackCase(t.db, { number: filed.number, code: wrongCode }, '198.18.2.1'));
		const b = await failureOf(trackCase(t.db, { number: unknownNumber, code: filed.queryCode }, '198.18.2.2'));
		expect(a).toEqual({ name: 'AppError', code: 'not_found', message: 'not_found', fields: {} });
		expect(b).toEqual(a);
		// Both went down the same path: one failure on the address and one on the number from that address.
		const budgets = await t.db.select({ key: rateLimits.key, count: rateLimits.count }).from(rateLimits).where(like(rateLimits.key, 'public-track-%'));
		expect(budgets).toEqual(
			expect.arrayContaining([
				{ key: 'public-track-address:198.18.2.1', count: 1 },
				{ key: `public-track-number-address:${filed.number}@198.18.2.1`, count: 1 },
				{ key: 'public-track-address:198.18.2.2', count: 1 },
				{ key: `public-track-number-address:${unknownNumber}@198.18.2.2`, count: 1 }
			])
		);
	});

	it('reports malformed input as field errors without charging any budget', async () => {
		const [before] = await t.db.select({ n: count() }).from(rateLimits);
		expect(await refusalOf(trackCase(t.db, { number: '', code: '' }, '198.18.3.1'))).toEqual({ number: 'err_required', code: 'err_required' });
		expect(await refusalOf(trackCase(t.db, { number: 'abc', code: 'SHORT' }, '198.18.3.1'))).toEqual({
			number: 'err_case_number_format',
			code: 'err_query_code_format'
		});
		const [after] = await t.db.select({ n: count() }).from(rateLimits);
		expect(after.n).toBe(before.n);
	});

	it('rate-limits an address after ten failed lookups, leaving other addresses alone', async () => {
		const filed = await file();
		for (let i = 0; i < 10; i++) {
			expect(await refusalOf(trackCase(t.db, { number: `2001-${String(i + 1).padStart(6, '0')}`, code: 'ABCDEFGH' }, '198.18.4.1'))).toBe('not_found');
		}
		// Even the right number and code are refused from that address now, with one answer for all.
		expect(await refusalOf(trackCase(t.db, { number: filed.number, code: filed.queryCode }, '198.18.4.1'))).toBe('rate_limited');
		expect(await refusalOf(trackCase(t.db, { number: '2001-000099', code: 'ABCDEFGH' }, '198.18.4.1'))).toBe('rate_limited');
		expect(await refusalOf(trackCase(t.db, { number: filed.number, code: filed.queryCode }, '198.18.4.2'))).toBe('ok');
	});

	it("locks a case only against the addresses that guessed its code, never the real petitioner's", async () => {
		const filed = await file();
		const wrong = (i: number) => `WRONG${String(i).padStart(3, '2')}`;
		// Strangers everywhere guess; one of them keeps going from one address.
		for (let i = 0; i < 10; i++) expect(await refusalOf(trackCase(t.db, { number: filed.number, code: wrong(i) }, `198.18.5.${i}`))).toBe('not_found');
		for (let i = 0; i < 4; i++) expect(await refusalOf(trackCase(t.db, { number: filed.number, code: wrong(i) }, '198.18.5.0'))).toBe('not_found');
		const refused = await trackCase(t.db, { number: filed.number, code: filed.queryCode }, '198.18.5.0').catch((e) => e);
		expect(refused).toBeInstanceOf(RateLimitedError);
		expect(retryMinutes(refused)).toBe(60);
		// The petitioner at home is not locked out by any of it.
		expect(await refusalOf(trackCase(t.db, { number: filed.number, code: filed.queryCode }, '198.18.5.99'))).toBe('ok');
	});

	it('counts parallel guesses before checking them: at most five reach the lookup', async () => {
		const filed = await file();
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, i) => refusalOf(trackCase(t.db, { number: filed.number, code: `GUESS${String(i).padStart(3, '2')}` }, '198.18.16.1')))
		);
		expect(results.filter((r) => r === 'not_found')).toHaveLength(5);
		expect(results.filter((r) => r === 'rate_limited')).toHaveLength(25);
	});
});

describe('ratePublicCase', () => {
	it('refuses a rating before the matter is concluded, writing nothing', async () => {
		const filed = await file();
		const before = await caseCounts(filed.id);
		expect(await refusalOf(ratePublicCase(t.db, { number: filed.number, code: filed.queryCode, rating: '5' }, '198.18.6.1'))).toEqual({
			_form: 'public_rate_not_yet'
		});
		expect(await caseCounts(filed.id)).toEqual(before);
	});

	it('checks the code again on the rating itself', async () => {
		const filed = await file();
		await conclude(filed.id);
		const before = await caseCounts(filed.id);
		const wrong = filed.queryCode === 'ABCDEFGH' ? 'ABCDEFGJ' : 'ABCDEFGH';
		expect(await refusalOf(ratePublicCase(t.db, { number: filed.number, code: wrong, rating: '1' }, '198.18.7.1'))).toBe('not_found');
		expect(await refusalOf(ratePublicCase(t.db, { number: filed.number, code: '', rating: '1' }, '198.18.7.1'))).toEqual({ code: 'err_required' });
		expect(await caseCounts(filed.id)).toEqual(before);
	});

	it('validates the score and the comment', async () => {
		const filed = await file();
		await conclude(filed.id);
		const before = await caseCounts(filed.id);
		const base = { number: filed.number, code: filed.queryCode };
		for (const rating of ['', '0', '6', '3.5', 'five']) {
			expect(await refusalOf(ratePublicCase(t.db, { ...base, rating }, '198.18.8.1')), rating).toEqual({ rating: 'err_rating_required' });
		}
		expect(await refusalOf(ratePublicCase(t.db, { ...base, rating: '4', comment: '好'.repeat(501) }, '198.18.8.1'))).toEqual({ comment: 'err_too_long' });
		expect(await caseCounts(filed.id)).toEqual(before);
	});

	it('stores one rating with its timeline entry and audit row, shows it, and refuses a second', async () => {
		const filed = await file();
		await conclude(filed.id, 'follow_up');
		const before = await caseCounts(filed.id);
		await ratePublicCase(t.db, { number: filed.number, code: filed.queryCode, rating: '4', comment: '  调解员很耐心，问题解决了。 ' }, '198.18.9.1');

		const after = await caseCounts(filed.id);
		expect(after).toMatchObject({ events: before.events + 1, audit: before.audit + 1, rating: 4, comment: '调解员很耐心，问题解决了。' });
		expect(after.at).toBeInstanceOf(Date);
		const [event] = await t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, filed.id), eq(caseEvents.kind, 'public_rating')));
		expect(event).toMatchObject({ public: true, actorId: null, data: { rating: 4 } });
		const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'case.public_rate'), eq(auditLog.subjectId, String(filed.id))));
		expect(audit).toMatchObject({ actorId: null, ip: '198.18.9.1', data: { number: filed.number, rating: 4, commented: true } });

		const { view } = await trackCase(t.db, { number: filed.number, code: filed.queryCode }, '198.18.9.1');
		expect(view.rating).toMatchObject({ value: 4, comment: '调解员很耐心，问题解决了。' });
		expect(view.canRate).toBe(false);
		expect(view.due?.clock).toBe('reviewRequestBy');
		expect(view.timeline.at(-1)).toMatchObject({ kind: 'public_rating', text: null });

		expect(await refusalOf(ratePublicCase(t.db, { number: filed.number, code: filed.queryCode, rating: '1' }, '198.18.9.1'))).toEqual({ _form: 'public_rate_done' });
		expect(await caseCounts(filed.id)).toEqual(after);
	});

	it('accepts only one of two ratings sent at once', async () => {
		const filed = await file();
		await conclude(filed.id, 'archived');
		const results = await Promise.all(
			['5', '2'].map((rating) => refusalOf(ratePublicCase(t.db, { number: filed.number, code: filed.queryCode, rating }, '198.18.10.1')))
		);
		expect(results.filter((r) => r === 'ok')).toHaveLength(1);
		expect(results).toContainEqual({ _form: 'public_rate_done' });
		const [{ n }] = await t.db.select({ n: count() }).from(caseEvents).where(and(eq(caseEvents.caseId, filed.id), eq(caseEvents.kind, 'public_rating')));
		expect(n).toBe(1);
	});

	it('leaves an audit chain that verifies', async () => {
		expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
	});
});
