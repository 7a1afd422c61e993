import type { Viewer } from '../../types';
import { addDays, daysBetween, isIsoDate, shanghaiDate } from '../cases/shanghai-date';

/**
 * Pure rules of the statistics (issue 6): who may see them, which period a query string asks for, the
 * periods it is compared with, and how a change is written. Nothing here touches the database.
 */

/** Longest period one dashboard covers: three years, the span the county keeps at hand. */
export const MAX_PERIOD_DAYS = 3 * 366;

/**
 * Supervisors and administrators of the county or a township see the figures of their area. A village
 * has too few matters for statistics to say anything and its staff work on cases, not on trends.
 */
export function mayViewStats(viewer: Viewer): boolean {
	return viewer.place.kind !== 'village' && viewer.roles.some((r) => r.role === 'supervisor' || r.role === 'admin');
}

/** Registration dates, Shanghai calendar, both ends inclusive. */
export interface Period {
	from: string;
	to: string;
}

export interface StatsQuery {
	period: Period;
	/** A township or village inside the viewer's area, or null for the whole area. */
	placeId: number | null;
}

/** The current month up to today: what a supervisor opening the dashboard most often wants. */
export function defaultPeriod(today: string): Period {
	return { from: `${today.slice(0, 8)}01`, to: today };
}

/** The calendar month 'YYYY-MM' as a period, or null when it is not one. */
export function monthPeriod(month: string): Period | null {
	if (!/^\d{4}-\d{2}$/.test(month) || !isIsoDate(`${month}-01`)) return null;
	const next = addDays(`${month}-28`, 4);
	return { from: `${month}-01`, to: addDays(`${next.slice(0, 8)}01`, -1) };
}

/**
 * Reads the period and place from a query string. Dates the person typed get a message; a place id
 * that is not a number is dropped (whether it is inside the viewer's area is checked against the
 * database by the dashboard).
 */
export function parseStatsQuery(params: URLSearchParams, today: string): { query: StatsQuery; fields: Record<string, string> } {
	const fields: Record<string, string> = {};
	const fallback = defaultPeriod(today);
	const date = (name: 'from' | 'to'): string | null => {
		const raw = params.get(name)?.trim();
		if (!raw) return null;
		if (isIsoDate(raw)) return raw;
		fields[name] = 'err_date_invalid';
		return null;
	};
	let from = date('from') ?? fallback.from;
	let to = date('to') ?? (params.get('from') ? today : fallback.to);
	if (from > to) {
		fields.to = 'stats_err_date_order';
		({ from, to } = fallback);
	} else if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) {
		fields.from = 'stats_err_period_too_long';
		({ from, to } = fallback);
	}
	const rawPlace = params.get('place');
	const placeId = rawPlace && /^[1-9]\d{0,9}$/.test(rawPlace) && Number(rawPlace) <= 2 ** 31 - 1 ? Number(rawPlace) : null;
	return { query: { period: { from, to }, placeId }, fields };
}

/** The same dates one year earlier (29 February falls back to the 28th). */
export function sameDatesLastYear(period: Period): Period {
	const back = (date: string): string => {
		const candidate = `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
		const valid: boolean = isIsoDate(candidate);
		return valid ? candidate : `${candidate.slice(0, 8)}28`;
	};
	return { from: back(period.from), to: back(period.to) };
}

/**
 * The period just before this one (环比): the same number of whole calendar months when the period is
 * whole months (March → February, a year → the year before), otherwise the same number of days ending
 * the day before it starts.
 */
export function previousPeriod(period: Period): Period {
	const months = monthsOf(period);
	const first = monthPeriod(months[0])!;
	const last = monthPeriod(months[months.length - 1])!;
	if (period.from === first.from && period.to === last.to) {
		let start = months[0];
		for (let i = 0; i < months.length; i++) start = addDays(`${start}-01`, -1).slice(0, 7);
		return { from: `${start}-01`, to: addDays(period.from, -1) };
	}
	const length = daysBetween(period.from, period.to) + 1;
	return { from: addDays(period.from, -length), to: addDays(period.from, -1) };
}

/**
 * Change from `before` to `now` as a percentage rounded to two places, the way the county's reports
 * write it ("同比下降 20.99%" is -20.99). Null when there is nothing to compare with.
 */
export function percentChange(now: number, before: number): number | null {
	if (before === 0) return null;
	return Math.round(((now - before) / before) * 10_000) / 100;
}

/** `part` of `whole` as a percentage with one decimal place; null for an empty whole. */
export function rate(part: number, whole: number): number | null {
	if (whole === 0) return null;
	return Math.round((part / whole) * 1_000) / 10;
}

/** The first days of the months from `from`'s month to `to`'s month, in order ('YYYY-MM'). */
export function monthsOf(period: Period): string[] {
	const months: string[] = [];
	let month = period.from.slice(0, 7);
	const last = period.to.slice(0, 7);
	while (month <= last) {
		months.push(month);
		month = addDays(`${month}-28`, 4).slice(0, 7);
	}
	return months;
}

/** Twelve months ending with the period's last month: the trend line under every dashboard. */
export function trendPeriod(period: Period): Period {
	const end = monthPeriod(period.to.slice(0, 7))!;
	let start = period.to.slice(0, 7);
	for (let i = 0; i < 11; i++) start = addDays(`${start}-01`, -1).slice(0, 7);
	return { from: `${start}-01`, to: end.to };
}

/** Shanghai midnight of a calendar date, as an instant (UTC+8, no daylight saving since 1991). */
export const shanghaiMidnight = (date: string): Date => new Date(`${date}T00:00:00+08:00`);

/** The instants [start, end) a period covers, for comparing with timestamps. */
export function periodBounds(period: Period): { start: Date; end: Date } {
	return { start: shanghaiMidnight(period.from), end: shanghaiMidnight(addDays(period.to, 1)) };
}

export const todayInShanghai = (): string => shanghaiDate(new Date());
