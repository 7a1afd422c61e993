import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashQueryCode } from '../../src/lib/server/cases/intake/case-number';
import { auditLog, caseEvents, caseParties, cases, places, rateLimits } from '../../src/lib/server/db/schema';
import { filePublicCase, type PublicFilingForm } from '../../src/lib/server/public/file-public-case';
import { listFilingOptions } from '../../src/lib/server/public/filing-options';
import { trackCase } from '../../src/lib/server/public/track-case';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { refusalOf } from '../support/app-error';

let t: TestDatabase;
const placeIds: Record<string, number> = {};

// Seeding hashes eleven demo passwords with argon2id: slow on a busy machine.
beforeAll(async () => {
	t = await createTestDatabase('demo');
	for (const p of await t.db.select({ id: places.id, name: places.name }).from(places)) placeIds[p.name] = p.id;
}, 180_000);
afterAll(() => t.destroy());

let phoneSeq = 0;
/** A fresh mobile number per call, so the per-phone budget of one test does not leak into another. */
const freshPhone = () => `1390792${String(++phoneSeq).padStart(4, '0')}`;

const valid = (patch: PublicFilingForm = {}): PublicFilingForm => ({
	name: '孙大伯',
	phone: freshPhone(),
	idNumber: '11010519491231002x',
	placeId: String(placeIds['城南村']),
	categoryId: '3',
	title: '宅基地边界纠纷',
	description: '与邻居因宅基地边界的围墙发生争执，希望村里帮忙调解。',
	otherParty: '李某',
	...patch
});

async function counts() {
	const [[c], [p], [e], [a], [r]] = await Promise.all([
		t.db.select({ n: count() }).from(cases),
		t.db.select({ n: count() }).from(caseParties),
		t.db.select({ n: count() }).from(caseEvents),
		t.db.select({ n: count() }).from(auditLog),
		t.db.select({ n: count() }).from(rateLimits)
	]);
	return { cases: c.n, parties: p.n, events: e.n, audit: a.n, rateLimits: r.n };
}

describe('filing options', () => {
	it('offers the active categories and every township with its villages', async () => {
		const options = await listFilingOptions(t.db);
		expect(options.categories).toHaveLength(9);
		expect(options.categories[0]).toMatchObject({ nameZh: '土地山林权属', nameEn: 'Land and forest rights' });
		const tubu = options.townships.find((x) => x.name === '涂埠镇');
		expect(tubu?.villages.map((v) => v.name).sort()).toEqual(['城南村', '河东村', '燕坊村'].sort());
		expect(options.townships.map((x) => x.name).sort()).toEqual(['涂埠镇', '艾城镇', '虬津镇'].sort());
	});
});

describe('filePublicCase', () => {
	it('files an online matter without an account and returns a number and code that open it', async () => {
		const form = valid({ phone: '１３９ ０７９２ ８８１１' });
		const filed = await filePublicCase(t.db, form, '198.51.100.1');
		expect(filed.number).toMatch(/^\d{4}-\d{6}$/);
		expect(filed.queryCode).toMatch(/^[A-Z2-9]{8}$/);

		const [row] = await t.db.select().from(cases).where(eq(cases.id, filed.id));
		expect(row).toMatchObject({
			channel: 'online',
			status: 'registered',
			filedById: null,
			isRepeat: false,
			repeatOfId: null,
			villageId: placeIds['城南村'],
			townshipId: placeIds['涂埠镇'],
			queryCodeHash: hashQueryCode(filed.queryCode)
		});
		const parties = await t.db.select().from(caseParties).where(eq(caseParties.caseId, filed.id));
		expect(parties.map((p) => [p.side, p.name, p.phone, p.idNumber])).toEqual([
			['applicant', '孙大伯', '13907928811', '11010519491231002X'],
			['respondent', '李某', null, null]
		]);

		const tracked = await trackCase(t.db, { number: filed.number, code: filed.queryCode }, '198.51.100.1');
		expect(tracked.caseId).toBe(filed.id);
		expect(tracked.view.status).toBe('registered');
	});

	it('files without the optional ID number and other party', async () => {
		const filed = await filePublicCase(t.db, valid({ idNumber: '', otherParty: '  ' }), '198.51.100.2');
		const parties = await t.db.select({ side: caseParties.side, idNumber: caseParties.idNumber }).from(caseParties).where(eq(caseParties.caseId, filed.id));
		expect(parties).toEqual([{ side: 'applicant', idNumber: null }]);
	});

	it('marks a repeat from the checkbox alone or from an earlier number, but never links it for the public', async () => {
		const earlier = await filePublicCase(t.db, valid(), '198.51.100.3');
		const ticked = await filePublicCase(t.db, valid({ isRepeat: 'on' }), '198.51.100.3');
		// A full-width, dash-less earlier number is understood, and still not looked up.
		const typed = earlier.number.replace('-', '').replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
		const numbered = await filePublicCase(t.db, valid({ repeatOfNumber: typed }), '198.51.100.3');
		const rows = await Promise.all(
			[ticked, numbered].map(async (f) => (await t.db.select({ isRepeat: cases.isRepeat, repeatOfId: cases.repeatOfId }).from(cases).where(eq(cases.id, f.id)))[0])
		);
		expect(rows).toEqual([
			{ isRepeat: true, repeatOfId: null },
			{ isRepeat: true, repeatOfId: null }
		]);
	});

	it('rejects bad input with field messages, charging no budget and writing nothing', async () => {
		const before = await counts();
		const bad: [PublicFilingForm, Record<string, string>][] = [
			[{ name: '' }, { name: 'err_required' }],
			[{ name: '   ' }, { name: 'err_required' }],
			[{ name: '孙'.repeat(61) }, { name: 'err_too_long' }],
			[{ phone: '' }, { phone: 'err_required' }],
			// Ten full-width digits: normalised, then refused as too short.
			[{ phone: '１３９０７９２００１' }, { phone: 'err_phone_invalid' }],
			[{ phone: '1390792001' }, { phone: 'err_phone_invalid' }],
			// The last character fails the GB 11643 checksum.
			[{ idNumber: '110105194912310021' }, { idNumber: 'err_id_number_invalid' }],
			[{ placeId: '' }, { placeId: 'err_required' }],
			[{ categoryId: '' }, { categoryId: 'err_required' }],
			[{ title: '' }, { title: 'err_required' }],
			[{ title: '纠'.repeat(101) }, { title: 'err_too_long' }],
			[{ description: '  \n ' }, { description: 'err_required' }],
			[{ description: '纠'.repeat(5001) }, { description: 'err_too_long' }],
			[{ description: 'bad\u0007bell' }, { description: 'err_invalid_chars' }],
			[{ otherParty: '李'.repeat(61) }, { otherParty: 'err_too_long' }],
			[{ repeatOfNumber: 'last year' }, { repeatOfNumber: 'err_case_number_format' }],
			[{ website: 'http://spam.example' }, { _form: 'public_file_rejected' }]
		];
		for (const [patch, fields] of bad) {
			expect(await refusalOf(filePublicCase(t.db, valid(patch), '198.51.100.4')), JSON.stringify(patch).slice(0, 60)).toEqual(fields);
		}
		// Several problems at once are all reported.
		expect(await refusalOf(filePublicCase(t.db, valid({ name: '', phone: '123', description: '' }), '198.51.100.4'))).toEqual({
			name: 'err_required',
			phone: 'err_phone_invalid',
			description: 'err_required'
		});
		expect(await counts()).toEqual(before);
	});

	it('refuses a place or category that is not offered, writing no case', async () => {
		const before = await counts();
		expect(await refusalOf(filePublicCase(t.db, valid({ placeId: String(placeIds['永修县']) }), '198.51.100.5'))).toEqual({ placeId: 'err_place_not_found' });
		expect(await refusalOf(filePublicCase(t.db, valid({ placeId: '999999' }), '198.51.100.5'))).toEqual({ placeId: 'err_place_not_found' });
		expect(await refusalOf(filePublicCase(t.db, valid({ categoryId: '999' }), '198.51.100.5'))).toEqual({ categoryId: 'err_category_invalid' });
		const after = await counts();
		expect({ ...after, rateLimits: 0 }).toEqual({ ...before, rateLimits: 0 });
	});

	it('files a form once: posting the same form again registers nothing', async () => {
		const form = valid({ submission: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' });
		await filePublicCase(t.db, form, '198.51.100.6');
		const before = await counts();
		expect(await refusalOf(filePublicCase(t.db, form, '198.51.100.6'))).toEqual({ _form: 'public_file_duplicate' });
		expect((await counts()).cases).toBe(before.cases);
		// A form whose filing failed inside the transaction may be corrected and sent again.
		const retry = valid({ submission: 'ffeeddccbbaa99887766554433221100', categoryId: '999' });
		expect(await refusalOf(filePublicCase(t.db, retry, '198.51.100.6'))).toEqual({ categoryId: 'err_category_invalid' });
		expect(await refusalOf(filePublicCase(t.db, { ...retry, categoryId: '3' }, '198.51.100.6'))).toBe('ok');
	});

	it('allows three filings per phone a day, from any address', async () => {
		const phone = freshPhone();
		for (let i = 0; i < 3; i++) expect(await refusalOf(filePublicCase(t.db, valid({ phone }), `203.0.113.${i}`))).toBe('ok');
		const before = await counts();
		// The same number typed another way is the same phone.
		const fullWidth = phone.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
		expect(await refusalOf(filePublicCase(t.db, valid({ phone: `+86 ${fullWidth}` }), '203.0.113.50'))).toBe('rate_limited');
		expect((await counts()).cases).toBe(before.cases);
		expect(await refusalOf(filePublicCase(t.db, valid(), '203.0.113.50'))).toBe('ok');
	});

	it('counts parallel filings from one phone before filing: three get through', async () => {
		const phone = freshPhone();
		const results = await Promise.all(Array.from({ length: 8 }, (_, i) => refusalOf(filePublicCase(t.db, valid({ phone }), `203.0.114.${i}`))));
		expect(results.filter((r) => r === 'ok')).toHaveLength(3);
		expect(results.filter((r) => r === 'rate_limited')).toHaveLength(5);
	});

	it('allows ten filings per address a day, whatever the phone', async () => {
		for (let i = 0; i < 10; i++) expect(await refusalOf(filePublicCase(t.db, valid(), '192.0.2.77'))).toBe('ok');
		const before = await counts();
		expect(await refusalOf(filePublicCase(t.db, valid(), '192.0.2.77'))).toBe('rate_limited');
		expect((await counts()).cases).toBe(before.cases);
		expect(await refusalOf(filePublicCase(t.db, valid(), '192.0.2.78'))).toBe('ok');
	});
});
