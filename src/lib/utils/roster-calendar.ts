/**
 * Month arithmetic for the roster's calendar, on 'YYYY-MM' and 'YYYY-MM-DD' strings (calendar dates,
 * no time zone involved). Pure, so the page and the server rules share it.
 */
const DAY_MS = 86_400_000;

const toDay = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const fromDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Every date of the month, in order. */
export function monthDays(month: string): string[] {
	const days: string[] = [];
	for (let d = toDay(`${month}-01`); fromDay(d).startsWith(month); d++) days.push(fromDay(d));
	return days;
}

export function shiftMonth(month: string, by: number): string {
	const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + by;
	return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Weeks Monday to Sunday covering the month; cells of other months are null. */
export function monthWeeks(month: string): (string | null)[][] {
	const days = monthDays(month);
	const lead = (new Date(toDay(days[0]) * DAY_MS).getUTCDay() + 6) % 7;
	const cells: (string | null)[] = [...Array<null>(lead).fill(null), ...days];
	while (cells.length % 7) cells.push(null);
	const weeks: (string | null)[][] = [];
	for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
	return weeks;
}
