import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../src/lib/server/cases/intake/file-case';
import { listCases } from '../../src/lib/server/cases/list/list-cases';
import { DEFAULT_FILTERS, parseListFilters } from '../../src/lib/server/cases/list/rules';
import { queryGrams, searchGrams, textSearchCondition } from '../../src/lib/server/cases/list/text-search';
import { cases } from '../../src/lib/server/db/schema';
import { newCase, setUpCasework, type Casework } from './casework-fixtures';

let w: Casework;
beforeAll(async () => {
	w = await setUpCasework();
}, 180_000);
afterAll(() => w.t.destroy());

/** Rows of a raw query: postgres.js answers with the rows, PGlite with { rows }. */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

const sqlGrams = async (text: string) => rowsOf<{ grams: string[] }>(await w.t.db.execute(sql`select case_search_grams(${text}) as grams`))[0].grams;

describe('the text search index', () => {
	it('makes the same bigrams in the database as the query side does', async () => {
		for (const text of ['宅基地边界纠纷', '与 ZHANG Wei 家的山林', '借款 5 万元 100% 未还。', 'a', '', '王\n建华\t李四  张', '𠀋𠀌 表外字', 'Ａ全角ＡＢ', 'AbC_d%e', '争议：宅基地（３号）', '𠮷田　一郎', "ｉｔ＇ｓ＼"]) {
			expect({ text, grams: [...(await sqlGrams(text))].sort() }).toEqual({ text, grams: searchGrams(text).sort() });
		}
	});

	// PGlite runs in this process with memory settings of its own; the setting is for PostgreSQL sessions.
	it.skipIf(process.env.TEST_DB_DRIVER !== 'postgres')('gives each PostgreSQL session room for a common word\'s bitmap, so it never goes lossy (work_mem)', async () => {
		// At 2M matters the default 4 MB made the count of 排水沟 in one county recompute the bigrams of 45,000 rows: 4.2 s.
		const [row] = rowsOf<{ work_mem: string }>(await w.t.db.execute(sql`show work_mem`));
		expect(row.work_mem).toBe('32MB');
	});

	it('is what the case list asks the planner for (the query repeats the indexed expression)', async () => {
		const plan = async (text: string) =>
			w.t.db.transaction(async (tx) => {
				// The test database is small enough that reading it all would win; the plan must still be able to use the index.
				await tx.execute(sql`set local enable_seqscan = off`);
				const result = await tx.execute(sql`explain select ${cases.id} from ${cases} where ${textSearchCondition(text)}`);
				return rowsOf<Record<string, string>>(result).map((r) => Object.values(r)[0]).join('\n');
			});
		expect(await plan('排水沟')).toContain('cases_search_grams_idx');
		expect(await plan('Zhang Wei')).toContain('cases_search_grams_idx');
		// One character has no bigram: the list reads every case instead.
		expect(queryGrams('王')).toBeNull();
		expect(await plan('王')).not.toContain('cases_search_grams_idx');
	});

	it('finds exactly the substring: in the title, the description or a party name, never a mere bigram match', async () => {
		const file = (title: string, description: string, names: string[]) =>
			fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { title, description, parties: names.map((name, i) => ({ side: i === 0 ? 'applicant' : 'respondent', name })) }));
		const a = await file('屋后排水沟堵塞', '雨天积水倒灌。', ['孙秀兰']);
		const b = await file('排水渠和水沟', '两家共用的水沟。', ['李德福', '王建华']);
		const c = await file('噪音', '楼上 Zhang Wei 家装修。', ['赵六']);
		const [row] = await w.t.db.select({ partyNames: cases.partyNames }).from(cases).where(eq(cases.id, b.id));
		expect(row.partyNames).toBe('李德福\n王建华');

		const found = async (text: string) => {
			const page = await listCases(w.t.db, w.viewers['tubu.supervisor'], { ...DEFAULT_FILTERS, text });
			return page.rows.map((r) => r.id).filter((id) => [a.id, b.id, c.id].includes(id)).sort();
		};
		// b holds the bigrams 排水 and 水沟 but not 排水沟.
		expect(await found('排水沟')).toEqual([a.id]);
		expect(await found('王建华')).toEqual([b.id]);
		// Names are separate lines: no match across the end of one and the start of the next.
		expect(await found('福王')).toEqual([]);
		expect(await found('zhang wei')).toEqual([c.id]);
		expect(await found('水')).toEqual([a.id, b.id].sort());
	});

	it('folds the full-width colon and width alike on both sides, and finds a name beyond the BMP', async () => {
		const file = (title: string, names: string[]) =>
			fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { title, parties: names.map((name, i) => ({ side: i === 0 ? 'applicant' : 'respondent', name })) }));
		const colon = await file('关于：宅基地界址的争议', ['𠮷祥云']);
		const ascii = await file('通知:３号楼漏水', ['𡈼大山']);
		const found = async (q: string) => {
			const { filters } = parseListFilters(new URLSearchParams({ q }));
			const page = await listCases(w.t.db, w.viewers['tubu.supervisor'], filters);
			return page.rows.map((r) => r.id).filter((id) => [colon.id, ascii.id].includes(id)).sort();
		};
		// The bug: the query was NFKC-folded to "关于:宅基地" and the stored "：" never matched.
		expect(await found('关于：宅基地')).toEqual([colon.id]);
		expect(await found('关于:宅基地')).toEqual([colon.id]);
		expect(await found('通知：3号楼')).toEqual([ascii.id]);
		expect(await found('通知:３号')).toEqual([ascii.id]);
		expect(await found('𠮷祥云')).toEqual([colon.id]);
		expect(await found('𡈼大')).toEqual([ascii.id]);
		expect(await found('𠮷')).toEqual([colon.id]);
		// Folding never merges what differs: a half-width colon after another word finds nothing.
		expect(await found('争议:')).toEqual([]);
	});

	it('pages a common word the same whether the page comes from the newest matters or from the index', async () => {
		// 26 matters with the word, newest last, among others without it: page 1 is filled from the newest
		// matters of the scope; page 2 needs more matches than that and asks the index.
		const T0 = new Date('2026-03-02T02:00:00Z');
		const with_: number[] = [];
		for (let i = 0; i < 30; i++) {
			const hasWord = i % 7 !== 3;
			const filed = await fileCase(w.t.db, w.viewers.mediator, newCase(w.placeIds, { title: hasWord ? `化粪池渗漏 ${i}` : `其他 ${i}` }), { now: new Date(T0.getTime() + i * 60_000) });
			if (hasWord) with_.push(filed.id);
		}
		expect(with_).toHaveLength(26);
		const newestFirst = [...with_].reverse();
		const page = (n: number) => listCases(w.t.db, w.viewers['tubu.supervisor'], { ...DEFAULT_FILTERS, text: '化粪池', page: n });
		const [one, two] = [await page(1), await page(2)];
		expect(one.rows.map((r) => r.id)).toEqual(newestFirst.slice(0, 20));
		expect(one).toMatchObject({ hasNext: true, total: { count: 26, capped: false } });
		expect(two.rows.map((r) => r.id)).toEqual(newestFirst.slice(20));
		expect(two).toMatchObject({ hasNext: false, total: { count: 26, capped: false } });
		// Oldest first as well.
		const asc = await listCases(w.t.db, w.viewers['tubu.supervisor'], { ...DEFAULT_FILTERS, text: '化粪池', sort: 'registered_asc' });
		expect(asc.rows.map((r) => r.id)).toEqual(with_.slice(0, 20));
	});
});
