import { dueDates, openClocks, type ClockInput } from '../clocks';

/** The due-date columns of `cases`, as the clocks compute them. */
export interface StoredDueDates {
	/** The earliest deadline the office is bound by now; null when none is running. Lists filter on it. */
	nextDueOn: string | null;
	routeDueOn: string | null;
	concludeDueOn: string | null;
}

/**
 * Due dates to store with a case after registration or a transition. They are derived, never typed in:
 * this is the one place the columns are filled from, so the stored dates and the dates shown on the
 * detail page (computed from the same clocks) cannot disagree.
 */
export function storedDueDates(input: ClockInput): StoredDueDates {
	const dates = dueDates(input);
	const open = openClocks(input)
		.map((clock) => dates[clock])
		.filter((d): d is string => d !== null)
		.sort();
	return { nextDueOn: open[0] ?? null, routeDueOn: dates.routeBy, concludeDueOn: dates.concludeBy };
}
