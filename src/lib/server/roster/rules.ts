import { HALF_DAYS, type HalfDay } from '../../enums';
import type { Viewer } from '../../types';
import type { HolidayCalendar } from '../cases/holidays';
import { isIsoDate, shanghaiDate } from '../cases/shanghai-date';
import { monthDays } from '../../utils/roster-calendar';
import { countyIdOfPlace } from '../places/rules';

export { monthDays, monthWeeks, shiftMonth } from '../../utils/roster-calendar';

/**
 * Pure rules of the joint reception roster (联合接访, issue 13 part 2): who sees and keeps it, which
 * half-day "now" is, the month grid and the working half-days nobody covers. No database here.
 */

export { HALF_DAYS, type HalfDay };

/** The reception centre is a county body: the roster is for the people working at the county. */
export function mayViewRoster(viewer: Viewer): boolean {
	return viewer.place.kind === 'county' && viewer.roles.some((r) => r.role !== 'party');
}

/** A county administrator keeps it. */
export function mayKeepRoster(viewer: Viewer): boolean {
	return viewer.place.kind === 'county' && viewer.roles.some((r) => r.role === 'admin');
}

/** The county's id (the viewer's county, wherever the tree's root is). */
export function countyIdOf(viewer: Viewer): number {
	return countyIdOfPlace(viewer.place);
}

/**
 * The sitting an instant falls in, Shanghai time: 上午 before noon, 下午 from noon. The centre's exact
 * opening hours vary by season; the half is what decides who is on duty, so noon is the only boundary.
 */
export function sittingAt(now: Date): { date: string; halfDay: HalfDay } {
	const hour = (now.getUTCHours() + 8) % 24;
	return { date: shanghaiDate(now), halfDay: hour < 12 ? 'am' : 'pm' };
}

/** 'YYYY-MM' when it is a real month, else null. */
export function parseMonth(raw: string | null | undefined): string | null {
	return raw && /^\d{4}-\d{2}$/.test(raw) && isIsoDate(`${raw}-01`) ? raw : null;
}

/**
 * The working half-days of the month with nobody on duty. Working days come from the holiday calendar,
 * so a 调休 Saturday needs cover and a holiday weekday does not.
 */
export function rosterGaps(month: string, covered: { dutyDate: string; halfDay: HalfDay }[], calendar: HolidayCalendar): { date: string; halfDay: HalfDay }[] {
	const has = new Set(covered.map((c) => `${c.dutyDate}/${c.halfDay}`));
	return monthDays(month)
		.filter((d) => calendar.isWorkingDay(d))
		.flatMap((date) => HALF_DAYS.filter((h) => !has.has(`${date}/${h}`)).map((halfDay) => ({ date, halfDay })));
}
