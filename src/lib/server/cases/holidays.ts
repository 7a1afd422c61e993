import { addDays, weekday } from './shanghai-date';

/**
 * Which days government offices are open. Statutory periods whose last day falls on a day off end on
 * the next working day, so the clocks ask this and nothing else. Pass another calendar (a province's
 * extra days, a test's fixed set) wherever a function takes one.
 */
export interface HolidayCalendar {
	/** Whether offices work on this Shanghai calendar date ('YYYY-MM-DD'). */
	isWorkingDay(date: string): boolean;
}

/** One year's official holiday arrangement (国务院办公厅关于 YYYY 年部分节假日安排的通知). */
export interface HolidayYear {
	year: number;
	/** Where the dates come from. */
	source: string;
	/**
	 * False while the State Council notice for the year has not been entered: the year then lists only
	 * the statutory holidays of 全国年节及纪念日放假办法 (2024 amendment) and no adjusted days, and
	 * must be replaced by the notice's dates when it is published.
	 */
	official: boolean;
	/** Days off, as inclusive ranges: the holidays and the bridging days the notice joins to them. */
	daysOff: readonly (readonly [from: string, to: string])[];
	/** Weekend days the notice makes working days (调休上班). */
	workdays: readonly string[];
}

/**
 * China's public holidays, 2024–2027. Outside these years only weekends are days off, so the data must
 * be extended every November when the next year's notice is published.
 */
export const CHINA_HOLIDAYS: readonly HolidayYear[] = [
	{
		year: 2024,
		source: '国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号)',
		official: true,
		daysOff: [
			['2024-01-01', '2024-01-01'],
			['2024-02-10', '2024-02-17'],
			['2024-04-04', '2024-04-06'],
			['2024-05-01', '2024-05-05'],
			['2024-06-10', '2024-06-10'],
			['2024-09-15', '2024-09-17'],
			['2024-10-01', '2024-10-07']
		],
		workdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12']
	},
	{
		year: 2025,
		source: '国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)',
		official: true,
		daysOff: [
			['2025-01-01', '2025-01-01'],
			['2025-01-28', '2025-02-04'],
			['2025-04-04', '2025-04-06'],
			['2025-05-01', '2025-05-05'],
			['2025-05-31', '2025-06-02'],
			['2025-10-01', '2025-10-08']
		],
		workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']
	},
	{
		year: 2026,
		source: '国务院办公厅关于2026年部分节假日安排的通知 (2025年11月4日)',
		official: true,
		daysOff: [
			['2026-01-01', '2026-01-03'],
			['2026-02-15', '2026-02-23'],
			['2026-04-04', '2026-04-06'],
			['2026-05-01', '2026-05-05'],
			['2026-06-19', '2026-06-21'],
			['2026-09-25', '2026-09-27'],
			['2026-10-01', '2026-10-07']
		],
		workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']
	},
	{
		year: 2027,
		// Lunar dates: 除夕 6 Feb, 端午 9 Jun, 中秋 15 Sep 2027 (Chinese calendar); 清明 5 Apr.
		source: '全国年节及纪念日放假办法 (2024) art. 2, statutory days only: the 2027 notice is not entered yet',
		official: false,
		daysOff: [
			['2027-01-01', '2027-01-01'],
			['2027-02-06', '2027-02-09'],
			['2027-04-05', '2027-04-05'],
			['2027-05-01', '2027-05-02'],
			['2027-06-09', '2027-06-09'],
			['2027-09-15', '2027-09-15'],
			['2027-10-01', '2027-10-03']
		],
		workdays: []
	}
];

/** A calendar from holiday data: a listed working day wins, then a listed day off, then Mon–Fri work. */
export function holidayCalendar(years: readonly HolidayYear[]): HolidayCalendar {
	const off = new Set<string>();
	const on = new Set<string>();
	for (const year of years) {
		for (const [from, to] of year.daysOff) {
			for (let day = from; day <= to; day = addDays(day, 1)) off.add(day);
		}
		for (const day of year.workdays) on.add(day);
	}
	return {
		isWorkingDay(date) {
			if (on.has(date)) return true;
			if (off.has(date)) return false;
			const dow = weekday(date);
			return dow !== 0 && dow !== 6;
		}
	};
}

export const CHINA_CALENDAR: HolidayCalendar = holidayCalendar(CHINA_HOLIDAYS);

/** Weekends off and nothing else: for tests and for places whose holidays are not entered. */
export const WEEKENDS_ONLY: HolidayCalendar = holidayCalendar([]);
