import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, MEASURES, lastYearPeriod, parsePeriod, percentChange, previousPeriod, rankUnits, type UnitFigures } from '../../src/lib/server/assessment/rules';

const none = Object.fromEntries(MEASURES.map((m) => [m, null])) as UnitFigures;

describe('assessment periods', () => {
	it('reads months, quarters and years, and refuses anything else', () => {
		expect(parsePeriod('2026-11')).toEqual({ key: '2026-11', kind: 'month', fromMonth: '2026-11-01', toMonth: '2026-11-01' });
		expect(parsePeriod('2026-Q4')).toEqual({ key: '2026-Q4', kind: 'quarter', fromMonth: '2026-10-01', toMonth: '2026-12-01' });
		expect(parsePeriod('2026')).toEqual({ key: '2026', kind: 'year', fromMonth: '2026-01-01', toMonth: '2026-12-01' });
		for (const bad of ['2026-13', '2026-Q5', '26', '2026-1', '', null, '2026-11-01']) expect(parsePeriod(bad)).toBeNull();
	});

	it('steps back a period and a year across year ends', () => {
		expect(previousPeriod(parsePeriod('2026-01')!).key).toBe('2025-12');
		expect(previousPeriod(parsePeriod('2026-Q1')!).key).toBe('2025-Q4');
		expect(previousPeriod(parsePeriod('2026')!).key).toBe('2025');
		expect(lastYearPeriod(parsePeriod('2026-Q3')!).key).toBe('2025-Q3');
	});

	it('writes the change as the county does (−45.45 %, −57.14 %), none from zero', () => {
		expect(percentChange(6, 11)).toBe(-45.45);
		expect(percentChange(3, 7)).toBe(-57.14);
		expect(percentChange(3, 0)).toBeNull();
	});
});

describe('ranking', () => {
	it('scales each measure best 100 to worst 0 in its direction, skips missing figures, and shares ranks on ties', () => {
		const ranked = rankUnits(
			[
				{ id: 1, name: '甲镇', figures: { ...none, concluded_on_time: 90, beijing: 0 } },
				{ id: 2, name: '乙镇', figures: { ...none, concluded_on_time: 60, beijing: 2 } },
				{ id: 3, name: '丙镇', figures: { ...none, concluded_on_time: 90, beijing: 0 } },
				{ id: 4, name: '丁镇', figures: { ...none, beijing: 1 } }
			],
			{ ...DEFAULT_WEIGHTS }
		);
		expect(ranked.map((u) => [u.name, u.rank])).toEqual([
			['甲镇', 1],
			['丙镇', 1],
			['丁镇', 3],
			['乙镇', 4]
		]);
		expect(ranked.find((u) => u.name === '乙镇')!.scores).toEqual({ concluded_on_time: 0, beijing: 0 });
		// 丁镇 has no conclusions: scored on 进京 alone (50), its weight scaled up.
		expect(ranked.find((u) => u.name === '丁镇')!.total).toBe(50);
	});

	it('lets a measure weighed 0 count for nothing', () => {
		const ranked = rankUnits(
			[
				{ id: 1, name: '甲', figures: { ...none, satisfaction: 100, beijing: 3 } },
				{ id: 2, name: '乙', figures: { ...none, satisfaction: 50, beijing: 0 } }
			],
			{ ...Object.fromEntries(MEASURES.map((m) => [m, 0])), satisfaction: 10 } as typeof DEFAULT_WEIGHTS
		);
		expect(ranked.map((u) => u.name)).toEqual(['甲', '乙']);
	});
});
