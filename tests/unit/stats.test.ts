import { describe, expect, it } from 'vitest';
import { clusterMatters, type MatterText } from '../../src/lib/server/stats/cluster-matters';
import { histogramStats, splitPeriod } from '../../src/lib/server/stats/counts';
import { csvCell, toCsv } from '../../src/lib/server/stats/csv';
import { monthPeriod, monthsOf, parseStatsQuery, percentChange, previousPeriod, rate, sameDatesLastYear, trendPeriod } from '../../src/lib/server/stats/rules';
import { cosine, profile } from '../../src/lib/server/stats/similarity';

describe('periods', () => {
	it('compares with the same dates last year, 29 February falling back to the 28th', () => {
		expect(sameDatesLastYear({ from: '2024-03-01', to: '2024-03-31' })).toEqual({ from: '2023-03-01', to: '2023-03-31' });
		expect(sameDatesLastYear({ from: '2024-02-01', to: '2024-02-29' })).toEqual({ from: '2023-02-01', to: '2023-02-28' });
	});

	it('takes the previous whole months for whole months, else as many days ending the day before', () => {
		expect(previousPeriod({ from: '2024-03-01', to: '2024-03-31' })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
		expect(previousPeriod({ from: '2025-01-01', to: '2025-12-31' })).toEqual({ from: '2024-01-01', to: '2024-12-31' });
		expect(previousPeriod({ from: '2025-04-01', to: '2025-06-30' })).toEqual({ from: '2025-01-01', to: '2025-03-31' });
		expect(previousPeriod({ from: '2026-11-01', to: '2026-11-29' })).toEqual({ from: '2026-10-03', to: '2026-10-31' });
		expect(previousPeriod({ from: '2026-11-10', to: '2026-11-19' })).toEqual({ from: '2026-10-31', to: '2026-11-09' });
	});

	it('knows the months, with their real last days', () => {
		expect(monthPeriod('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
		expect(monthPeriod('2025-02')).toEqual({ from: '2025-02-01', to: '2025-02-28' });
		expect(monthPeriod('2025-12')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
		expect(monthPeriod('2025-13')).toBeNull();
		expect(monthPeriod('2025-1')).toBeNull();
		expect(monthsOf({ from: '2024-11-15', to: '2025-02-03' })).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
		expect(trendPeriod({ from: '2024-03-05', to: '2024-03-20' })).toEqual({ from: '2023-04-01', to: '2024-03-31' });
	});

	it('reads the query string, refusing reversed or over-long periods with a message', () => {
		const today = '2026-11-29';
		expect(parseStatsQuery(new URLSearchParams(''), today)).toEqual({ query: { period: { from: '2026-11-01', to: '2026-11-29' }, placeId: null }, fields: {} });
		expect(parseStatsQuery(new URLSearchParams('from=2026-01-01&place=12'), today).query).toEqual({ period: { from: '2026-01-01', to: '2026-11-29' }, placeId: 12 });
		expect(parseStatsQuery(new URLSearchParams('from=2026-05-01&to=2026-04-01'), today).fields).toEqual({ to: 'stats_err_date_order' });
		expect(parseStatsQuery(new URLSearchParams('from=2020-01-01&to=2026-01-01'), today).fields).toEqual({ from: 'stats_err_period_too_long' });
		expect(parseStatsQuery(new URLSearchParams('from=2026-02-30'), today).fields).toEqual({ from: 'err_date_invalid' });
		expect(parseStatsQuery(new URLSearchParams('place=abc'), today).query.placeId).toBeNull();
	});
});

describe('changes and rates', () => {
	it('writes changes the way the county reports do, to two decimal places', () => {
		// The county's own report: 总量同比下降 20.99%, 首次信访下降 17.31%, 赴省上访下降 57.14%.
		expect(percentChange(1287, 1629)).toBe(-20.99);
		expect(percentChange(1075, 1300)).toBe(-17.31);
		expect(percentChange(3, 7)).toBe(-57.14);
		expect(percentChange(4, 2)).toBe(100);
		expect(percentChange(5, 0)).toBeNull();
		expect(rate(2, 3)).toBe(66.7);
		expect(rate(0, 0)).toBeNull();
	});
});

describe('CSV for Excel', () => {
	it('starts with a byte-order mark and keeps Chinese as it is', () => {
		const csv = toCsv(['地区', '件数'], [['涂埠镇', 3]]);
		expect(csv).toBe('\uFEFF地区,件数\r\n涂埠镇,3\r\n');
	});

	it('turns cells that would run as formulas into text', () => {
		expect(csvCell('=1+1')).toBe("'=1+1");
		expect(csvCell('+86 139')).toBe("'+86 139");
		expect(csvCell('-2')).toBe("'-2");
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvCell('\t=cmd')).toBe("'\t=cmd");
		// A real negative number stays a number.
		expect(csvCell(-2)).toBe('-2');
	});

	it('quotes commas, quotes and line breaks', () => {
		expect(csvCell('甲,乙')).toBe('"甲,乙"');
		expect(csvCell('他说"不"')).toBe('"他说""不"""');
		expect(csvCell('一\n二')).toBe('"一\n二"');
		expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
		expect(csvCell(null)).toBe('');
	});
});

describe('text similarity', () => {
	it('finds alike Chinese texts alike and unrelated ones not', () => {
		const a = profile('城南村养殖场污水直排，臭气熏天，影响村民生活');
		const b = profile('反映城南村养殖场的污水和臭气影响周边生活');
		const c = profile('张三借给李四两万元至今未还');
		expect(cosine(a, b)).toBeGreaterThan(0.45);
		expect(cosine(a, c)).toBeLessThan(0.1);
		// Full-width letters and digits read as half-width.
		expect(profile('ＡＢ')).toEqual(profile('ab'));
	});
});

describe('recurring-matter clusters', () => {
	let id = 0;
	const matter = (text: string, placeId = 1, categoryId = 3, day = 1): MatterText => ({
		id: ++id,
		categoryId,
		placeId,
		registeredOn: `2026-10-${String(day).padStart(2, '0')}`,
		text
	});

	it('groups a planted set of alike matters in one village and leaves unrelated ones out', () => {
		const planted = [
			matter('养殖场污水直排到水渠，臭气熏天', 1, 7, 1),
			matter('反映养殖场污水排进水渠，夏天臭气很重', 1, 7, 5),
			matter('养殖场臭气和污水影响生活，要求整改', 1, 7, 9),
			matter('村东养殖场污水横流臭气熏天', 1, 7, 12)
		];
		const unrelated = [matter('夜间工厂噪声扰民，无法休息', 1, 7, 3), matter('河道采砂破坏堤岸', 1, 7, 8), matter('垃圾焚烧冒黑烟', 1, 7, 10)];
		// The same complaint in another village, and in another category of the same village: never merged.
		const elsewhere = [matter('养殖场污水直排到水渠，臭气熏天', 2, 7, 2), matter('养殖场污水排进水渠，臭气很重', 2, 7, 6), matter('养殖场污水直排臭气', 1, 4, 7)];
		const clusters = clusterMatters([...planted, ...unrelated, ...elsewhere]);
		expect(clusters).toHaveLength(1);
		expect(clusters[0].caseIds).toEqual(planted.map((m) => m.id));
		expect(clusters[0]).toMatchObject({ placeId: 1, categoryId: 7, firstOn: '2026-10-01', lastOn: '2026-10-12' });
		expect(clusters[0].terms).toEqual(expect.arrayContaining(['养殖', '殖场', '污水']));
	});

	it('needs at least three matters for a cluster', () => {
		expect(clusterMatters([matter('养殖场污水直排'), matter('养殖场污水直排到河里')])).toEqual([]);
	});
});

describe('reading the maintained counts', () => {
	it('splits a period into whole months and the partial stretches at its ends', () => {
		expect(splitPeriod({ from: '2024-03-01', to: '2024-03-31' })).toEqual({ months: { from: '2024-03-01', to: '2024-03-01' }, partial: [] });
		expect(splitPeriod({ from: '2024-01-01', to: '2024-12-31' })).toEqual({ months: { from: '2024-01-01', to: '2024-12-01' }, partial: [] });
		expect(splitPeriod({ from: '2024-03-15', to: '2024-06-10' })).toEqual({
			months: { from: '2024-04-01', to: '2024-05-01' },
			partial: [
				{ from: '2024-03-15', to: '2024-03-31' },
				{ from: '2024-06-01', to: '2024-06-10' }
			]
		});
		expect(splitPeriod({ from: '2026-11-01', to: '2026-11-29' })).toEqual({ months: null, partial: [{ from: '2026-11-01', to: '2026-11-29' }] });
		expect(splitPeriod({ from: '2024-03-15', to: '2024-04-10' })).toEqual({ months: null, partial: [{ from: '2024-03-15', to: '2024-04-10' }] });
		expect(splitPeriod({ from: '2024-02-01', to: '2024-03-10' })).toEqual({ months: { from: '2024-02-01', to: '2024-02-01' }, partial: [{ from: '2024-03-01', to: '2024-03-10' }] });
	});

	it('takes the mean and the median of a histogram as percentile_cont does', () => {
		expect(histogramStats(new Map([['19', 1], ['65', 1]]))).toEqual({ count: 2, mean: 42, median: 42 });
		expect(histogramStats(new Map([['1', 2], ['10', 1]]))).toEqual({ count: 3, mean: 4, median: 1 });
		expect(histogramStats(new Map([['3', 1], ['1', 1], ['2', 2], ['9', 0]]))).toEqual({ count: 4, mean: 2, median: 2 });
		expect(histogramStats(new Map())).toEqual({ count: 0, mean: null, median: null });
	});
});
