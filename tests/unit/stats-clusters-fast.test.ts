import { describe, expect, it } from 'vitest';
import { clusterMatters, type MatterText } from '../../src/lib/server/stats/cluster-matters';
import { generalTextGrams, textGrams } from '../../src/lib/server/stats/similarity';
import { referenceClusterMatters } from '../support/reference-clusters';

/**
 * The recurring-matter search was made several times faster (issue 21) by reading most texts through a
 * table of characters instead of NFKC and a regular expression, numbering a split's bigrams so that the
 * clusters' running totals are arrays, and picking a cluster's terms rather than sorting them all. Each
 * of those could change an answer; these tests hold them to the general path and to the first version
 * of the clustering (tests/support/reference-clusters.ts), answer for answer.
 */

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// Exhaustive comparisons (every UTF-16 unit, thousands of matters): CPU work, seconds on a loaded machine.
// A limit, not a timing assertion: only a hang fails it.
const HEAVY = 120_000;

describe('the bigrams of a text', () => {
	it('are the general path’s for every UTF-16 unit, alone and between other characters', () => {
		const differ: string[] = [];
		for (let unit = 0; unit <= 0xffff; unit++) {
			const c = String.fromCharCode(unit);
			for (const text of [`甲${c}乙`, `${c}${c}a1`, `Ab${c}12${c}`, c]) {
				if (JSON.stringify(textGrams(text)) !== JSON.stringify(generalTextGrams(text))) differ.push(unit.toString(16));
			}
		}
		expect(differ).toEqual([]);
	}, HEAVY);

	it('are the general path’s for random texts of common and awkward characters', () => {
		const next = random(21);
		const pool = [
			...'养殖场污水直排臭气熏天宅基地边界纠纷借款未还一个我们反映问题村民',
			...'abcXYZ019 ,.;:!?-_()\t\n',
			...'ＡＢＣａｂｃ０１９，。、；：！？（）「」　',
			'\u0301', // combining acute: composes with the letter before it
			'\u1100',
			'\u1161', // Hangul jamo that compose into one syllable
			'㍻', // one character, two meaningful ones after NFKC
			'Σ',
			'σ', // final sigma lower-cases by context
			'𠮷', // outside the BMP: a surrogate pair
			'²',
			'½',
			'İ',
			'٠',
			'…',
			'\u00a8'
		];
		const differ: string[] = [];
		for (let i = 0; i < 5000; i++) {
			let text = '';
			for (let n = Math.floor(next() * 30); n > 0; n--) text += pool[Math.floor(next() * pool.length)];
			if (JSON.stringify(textGrams(text)) !== JSON.stringify(generalTextGrams(text))) differ.push(text);
		}
		expect(differ).toEqual([]);
	}, HEAVY);
});

describe('recurring-matter clusters, fast', () => {
	/**
	 * Matters in many (category, place) splits: a few complaints per split told in varied words, some
	 * registered the same day (order by id), some with characters off the fast path, and a pair of
	 * bigrams that collate alike ("x0" and "x٠": different digits, one collation weight) so the terms'
	 * last tie-break is exercised.
	 */
	function matters(seed: number, count: number): MatterText[] {
		const next = random(seed);
		const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
		const topics = [
			['养殖场', '污水', '直排', '臭气熏天', '水渠'],
			['夜间', '工厂', '噪声', '扰民', '无法休息'],
			['宅基地', '边界', '纠纷', '围墙', '占地'],
			['借款', '到期', '未还', '欠条', '利息'],
			['工资', '拖欠', '包工头', '农民工', '讨薪'],
			['x0', 'x٠', '设备', '编号']
		];
		const fillers = ['，', '。', '反映', '要求处理', '多次协商未果', ' ', 'ＡＢ', '㍻', '\u0301', '𠮷'];
		const out: MatterText[] = [];
		for (let id = 1; id <= count; id++) {
			const words = pick(topics);
			let text = '';
			for (let n = 2 + Math.floor(next() * 6); n > 0; n--) text += next() < 0.75 ? pick(words) : pick(fillers);
			out.push({
				id,
				categoryId: 1 + Math.floor(next() * 3),
				placeId: 100 + Math.floor(next() * 6),
				registeredOn: `2026-${String(9 + Math.floor(next() * 3)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`,
				text
			});
		}
		return out;
	}

	it('gives the first version’s clusters, terms and cohesion exactly', () => {
		for (const seed of [1, 2, 3]) {
			const input = matters(seed, 1500);
			const fast = clusterMatters(input.map((m) => ({ ...m })));
			expect(fast.length).toBeGreaterThan(20);
			expect(fast).toEqual(referenceClusterMatters(input.map((m) => ({ ...m }))));
		}
	}, HEAVY);

	it('gives the first version’s answers with other options too', () => {
		const input = matters(4, 800);
		for (const options of [{ threshold: 0.5 }, { minSize: 2, maxPerSplit: 10 }, { threshold: 0.1, minSize: 5 }]) {
			expect(clusterMatters(input.map((m) => ({ ...m })), options)).toEqual(referenceClusterMatters(input.map((m) => ({ ...m })), options));
		}
	}, HEAVY);

	it('breaks ties between terms that collate alike as the first version did', () => {
		// "x0" and "x٠" are held by the same number of members and collate alike: the one a member
		// brought first comes first. Place and category fixed, so all four are one cluster.
		const at = (id: number, text: string): MatterText => ({ id, categoryId: 1, placeId: 1, registeredOn: `2026-10-0${id}`, text });
		for (const texts of [
			['x٠设备 x0', 'x0设备 x٠', 'x٠ x0设备', 'x0 x٠设备'],
			['x0设备 x٠', 'x٠设备 x0', 'x٠ x0设备', 'x0 x٠设备']
		]) {
			const input = texts.map((t, i) => at(i + 1, t));
			const [cluster] = clusterMatters(input.map((m) => ({ ...m })));
			expect(cluster.terms).toContain('x0');
			expect(cluster.terms).toContain('x٠');
			expect(clusterMatters(input.map((m) => ({ ...m })))).toEqual(referenceClusterMatters(input.map((m) => ({ ...m }))));
		}
	}, HEAVY);
});
