/**
 * Calendar dates in China Standard Time, written 'YYYY-MM-DD'.
 *
 * Statutory periods are counted in whole calendar days where the case is handled, so every timestamp
 * becomes an Asia/Shanghai date before any counting: a matter registered at 00:30 on 1 March Beijing
 * time (16:30 UTC on 28 February) was registered on 1 March. Shanghai has kept UTC+8 without daylight
 * saving since 1991, so a fixed offset is exact for every date this app holds and does not depend on
 * the runtime's time-zone data.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): string {
	return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

function epochDay(date: string): number {
	return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function fromEpochDay(day: number): string {
	return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** True for a real calendar date written 'YYYY-MM-DD' (so not '2025-02-30'). */
export function isIsoDate(value: unknown): value is string {
	return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && fromEpochDay(epochDay(value)) === value;
}

export function addDays(date: string, days: number): string {
	return fromEpochDay(epochDay(date) + days);
}

/** Whole days from `from` to `to`: 1 for the next day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
	return epochDay(to) - epochDay(from);
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export function weekday(date: string): number {
	return new Date(epochDay(date) * DAY_MS).getUTCDay();
}
