import { describe, expect, it } from 'vitest';
import { CHINA_CALENDAR, WEEKENDS_ONLY } from '../../src/lib/server/cases/holidays';
import { parseMonth, rosterGaps, sittingAt } from '../../src/lib/server/roster/rules';
import { monthWeeks, shiftMonth } from '../../src/lib/utils/roster-calendar';

describe('roster gaps', () => {
	it('asks cover for a 调休 working Saturday and none for the Spring Festival weekdays', () => {
		const gaps = rosterGaps('2026-02', [], CHINA_CALENDAR).map((g) => `${g.date}/${g.halfDay}`);
		// 2026-02-14 and 2026-02-28 are Saturdays made working days by the State Council notice.
		expect(gaps).toContain('2026-02-14/am');
		expect(gaps).toContain('2026-02-28/pm');
		// 2026-02-16 (Monday) is inside the holiday; 2026-02-07 is an ordinary Saturday.
		expect(gaps.some((g) => g.startsWith('2026-02-16'))).toBe(false);
		expect(gaps.some((g) => g.startsWith('2026-02-07'))).toBe(false);
		// A plain weekends-only calendar would get both wrong.
		const naive = rosterGaps('2026-02', [], WEEKENDS_ONLY).map((g) => g.date);
		expect(naive).toContain('2026-02-16');
		expect(naive).not.toContain('2026-02-28');
	});

	it('lists only the uncovered half of a day', () => {
		const covered = [
			{ dutyDate: '2026-02-28', halfDay: 'am' as const },
			{ dutyDate: '2026-02-14', halfDay: 'am' as const },
			{ dutyDate: '2026-02-14', halfDay: 'pm' as const }
		];
		const gaps = rosterGaps('2026-02', covered, CHINA_CALENDAR).filter((g) => g.date === '2026-02-28' || g.date === '2026-02-14');
		expect(gaps).toEqual([{ date: '2026-02-28', halfDay: 'pm' }]);
	});
});

describe('the sitting now', () => {
	it('is Shanghai time: noon divides the day, and UTC evening is the next Shanghai morning', () => {
		expect(sittingAt(new Date('2026-12-04T03:59:59Z'))).toEqual({ date: '2026-12-04', halfDay: 'am' });
		expect(sittingAt(new Date('2026-12-04T04:00:00Z'))).toEqual({ date: '2026-12-04', halfDay: 'pm' });
		expect(sittingAt(new Date('2026-12-03T16:30:00Z'))).toEqual({ date: '2026-12-04', halfDay: 'am' });
	});
});

describe('the month grid', () => {
	it('starts on Monday and pads other months with nulls', () => {
		const weeks = monthWeeks('2026-02');
		expect(weeks[0]).toEqual([null, null, null, null, null, null, '2026-02-01']);
		expect(weeks.every((w) => w.length === 7)).toBe(true);
		expect(weeks.flat().filter(Boolean)).toHaveLength(28);
	});

	it('moves across years and reads only real months', () => {
		expect(shiftMonth('2026-12', 1)).toBe('2027-01');
		expect(shiftMonth('2026-01', -1)).toBe('2025-12');
		expect(parseMonth('2026-13')).toBeNull();
		expect(parseMonth('2026-02')).toBe('2026-02');
		expect(parseMonth("2026-02' or 1=1")).toBeNull();
	});
});
