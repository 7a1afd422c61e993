import { describe, expect, it } from 'vitest';
import {
	caseDueState,
	dueDates,
	dueState,
	openClocks,
	periodEnd,
	type ClockInput
} from '../../src/lib/server/cases/clocks';
import {
	CHINA_CALENDAR,
	CHINA_HOLIDAYS,
	holidayCalendar,
	WEEKENDS_ONLY,
	type HolidayCalendar
} from '../../src/lib/server/cases/holidays';
import { decide } from '../../src/lib/server/cases/rules';
import { addDays, daysBetween, isIsoDate, shanghaiDate, weekday } from '../../src/lib/server/cases/shanghai-date';
import type { CaseActor, CaseSnapshot } from '../../src/lib/server/cases/states';

/** An instant given as Shanghai wall-clock time. */
const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

function clocks(overrides: Partial<ClockInput>): ClockInput {
	return {
		status: 'registered',
		registeredAt: at('2024-03-04T10:00:00'),
		acceptedAt: null,
		notAcceptedAt: null,
		routedAt: null,
		concludedAt: null,
		reviewStage: 'none',
		reviewRequestedAt: null,
		reviewAnsweredAt: null,
		reReviewRequestedAt: null,
		extension: null,
		...overrides
	};
}

describe('Shanghai calendar dates', () => {
	it('converts an instant to the date in Shanghai, not UTC', () => {
		expect(shanghaiDate(new Date('2024-02-29T15:59:59Z'))).toBe('2024-02-29');
		expect(shanghaiDate(new Date('2024-02-29T16:00:00Z'))).toBe('2024-03-01');
		expect(shanghaiDate(at('2024-12-31T23:59:59'))).toBe('2024-12-31');
	});

	it('does date arithmetic across months, years and leap days', () => {
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
		expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
		expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
		expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
		expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
		expect(daysBetween('2024-03-02', '2024-03-01')).toBe(-1);
		expect(weekday('2024-10-01')).toBe(2);
	});

	it('recognises real dates only', () => {
		expect(isIsoDate('2024-02-29')).toBe(true);
		expect(isIsoDate('2025-02-29')).toBe(false);
		expect(isIsoDate('2025-13-01')).toBe(false);
		expect(isIsoDate('2025-1-01')).toBe(false);
		expect(isIsoDate(20250101)).toBe(false);
	});
});

describe('holiday data', () => {
	it('lists adjusted working days that are all weekend days, within their year', () => {
		for (const year of CHINA_HOLIDAYS) {
			for (const day of year.workdays) {
				expect([0, 6], `${day} is a weekend day`).toContain(weekday(day));
				expect(day.startsWith(String(year.year))).toBe(true);
			}
		}
	});

	it('lists ranges in order, within their year', () => {
		for (const year of CHINA_HOLIDAYS) {
			for (const [from, to] of year.daysOff) {
				expect(from <= to, `${from}..${to}`).toBe(true);
				expect(from.startsWith(String(year.year)) && to.startsWith(String(year.year))).toBe(true);
			}
		}
	});

	it('covers 2024–2027, marking the year without a published notice', () => {
		expect(CHINA_HOLIDAYS.map((y) => [y.year, y.official])).toEqual([
			[2024, true],
			[2025, true],
			[2026, true],
			[2027, false]
		]);
	});

	it.each([
		['2024-10-01', false, 'National Day'],
		['2024-10-07', false, 'National Day (Monday)'],
		['2024-10-08', true, 'first day back'],
		['2024-09-29', true, 'Sunday made a working day (调休)'],
		['2024-10-12', true, 'Saturday made a working day (调休)'],
		['2025-01-26', true, 'Sunday before Spring Festival 2025 (调休)'],
		['2025-01-28', false, '除夕 2025'],
		['2025-10-08', false, 'eighth day of National Day 2025'],
		['2026-02-23', false, 'last day of Spring Festival 2026 (Monday)'],
		['2026-02-28', true, 'Saturday made a working day 2026'],
		['2027-02-09', false, 'Spring Festival 2027 (statutory days)'],
		['2024-03-16', false, 'an ordinary Saturday'],
		['2024-03-18', true, 'an ordinary Monday'],
		['2030-10-01', true, 'a Tuesday in a year with no data: weekends only']
	])('%s is a working day: %s (%s)', (date, working) => {
		expect(CHINA_CALENDAR.isWorkingDay(date)).toBe(working);
	});
});

describe('periodEnd: the day of the event is not counted, and a last day off moves to the next working day', () => {
	it('ends 15 days after the event day', () => {
		// Monday 4 March + 15 = Tuesday 19 March.
		expect(periodEnd('2024-03-04', 15)).toBe('2024-03-19');
	});

	it('moves a period ending on a Saturday to the Monday', () => {
		// Friday 1 March 2024 + 15 = Saturday 16 March → Monday 18 March.
		expect(periodEnd('2024-03-01', 15)).toBe('2024-03-18');
	});

	it('moves a period ending on National Day past the whole holiday', () => {
		// 2 August 2024 + 60 = Tuesday 1 October → holiday to 7 October → Tuesday 8 October.
		expect(periodEnd('2024-08-02', 60)).toBe('2024-10-08');
		// 16 September 2026 + 15 = 1 October 2026 → Thursday 8 October 2026.
		expect(periodEnd('2026-09-16', 15)).toBe('2026-10-08');
	});

	it('moves a period ending in the Spring Festival to its end', () => {
		// Monday 13 January 2025 + 15 = Tuesday 28 January (除夕) → holiday to 4 February → Wednesday 5 February.
		expect(periodEnd('2025-01-13', 15)).toBe('2025-02-05');
	});

	it('keeps a period ending on a weekend day made a working day', () => {
		// Saturday 14 September 2024 + 15 = Sunday 29 September, a working day in 2024.
		expect(periodEnd('2024-09-14', 15)).toBe('2024-09-29');
	});

	it('moves a period ending on New Year’s Day into the new year', () => {
		// 17 December 2024 + 15 = Wednesday 1 January 2025 → Thursday 2 January.
		expect(periodEnd('2024-12-17', 15)).toBe('2025-01-02');
	});

	it('counts from the Shanghai date of an instant', () => {
		// 23:59 on Sunday 3 March vs 00:30 on Monday 4 March, Shanghai time.
		expect(periodEnd(new Date('2024-03-03T15:59:00Z'), 15)).toBe('2024-03-18');
		expect(periodEnd(new Date('2024-03-03T16:30:00Z'), 15)).toBe('2024-03-19');
	});

	it('takes a pluggable calendar', () => {
		expect(periodEnd('2024-08-02', 60, WEEKENDS_ONLY)).toBe('2024-10-01');
		const festival: HolidayCalendar = { isWorkingDay: (d) => d !== '2024-03-19' && weekday(d) !== 0 && weekday(d) !== 6 };
		expect(periodEnd('2024-03-04', 15, festival)).toBe('2024-03-20');
		const custom = holidayCalendar([{ year: 2024, source: 'test', official: true, daysOff: [['2024-03-19', '2024-03-21']], workdays: [] }]);
		expect(periodEnd('2024-03-04', 15, custom)).toBe('2024-03-22');
	});

	it('refuses a calendar with no working day rather than looping', () => {
		expect(() => periodEnd('2024-03-04', 15, { isWorkingDay: () => false })).toThrow(/no working day/);
	});
});

describe('dueDates', () => {
	it('gives the route and notify dates of a new case, and nothing else yet', () => {
		expect(dueDates(clocks({ registeredAt: at('2024-03-01T16:00:00') }))).toEqual({
			routeBy: '2024-03-18',
			notifyBy: '2024-03-18',
			concludeBy: null,
			reviewRequestBy: null,
			reviewAnswerBy: null,
			reReviewRequestBy: null,
			reReviewAnswerBy: null
		});
	});

	it('drops the route date of a case that was not accepted', () => {
		const d = dueDates(clocks({ status: 'not_accepted', notAcceptedAt: at('2024-03-05T10:00:00') }));
		expect(d.routeBy).toBeNull();
		expect(d.notifyBy).toBe('2024-03-19');
	});

	it('gives 60 days from acceptance to conclude', () => {
		// Friday 1 March 2024 + 60 = Tuesday 30 April (a working day before Labour Day).
		expect(dueDates(clocks({ status: 'accepted', acceptedAt: at('2024-03-01T09:00:00') })).concludeBy).toBe('2024-04-30');
	});

	it('adds the extension to the 60 days before moving the last day past days off', () => {
		const accepted = { status: 'accepted' as const, acceptedAt: at('2024-03-01T09:00:00') };
		// + 65 = Sunday 5 May, in the Labour Day holiday → Monday 6 May.
		expect(dueDates(clocks({ ...accepted, extension: { days: 5, reason: '—' } })).concludeBy).toBe('2024-05-06');
		// + 90 = Thursday 30 May.
		expect(dueDates(clocks({ ...accepted, extension: { days: 30, reason: '—' } })).concludeBy).toBe('2024-05-30');
		// Accepted 2 August: 60 days end in National Day (→ 8 October); 63 days end on 4 October, also → 8 October.
		const national = { status: 'accepted' as const, acceptedAt: at('2024-08-02T09:00:00') };
		expect(dueDates(clocks({ ...national, extension: { days: 3, reason: '—' } })).concludeBy).toBe('2024-10-08');
		expect(dueDates(clocks({ ...national, extension: { days: 10, reason: '—' } })).concludeBy).toBe('2024-10-11');
	});

	it('gives the review and re-review windows and answer dates', () => {
		const d = dueDates(
			clocks({
				status: 'concluded',
				acceptedAt: at('2025-01-06T09:00:00'),
				concludedAt: at('2025-03-03T09:00:00'),
				reviewStage: 're_review_requested',
				reviewRequestedAt: at('2025-04-02T09:00:00'),
				reviewAnsweredAt: at('2025-09-01T09:00:00'),
				reReviewRequestedAt: at('2025-09-02T09:00:00')
			})
		);
		expect(d).toMatchObject({
			// Monday 3 March + 30 = Wednesday 2 April.
			reviewRequestBy: '2025-04-02',
			// 2 April + 30 = Friday 2 May, Labour Day holiday to 5 May → Tuesday 6 May.
			reviewAnswerBy: '2025-05-06',
			// 1 September + 30 = 1 October, National Day to 8 October → Thursday 9 October.
			reReviewRequestBy: '2025-10-09',
			// 2 September + 30 = 2 October → Thursday 9 October.
			reReviewAnswerBy: '2025-10-09'
		});
	});
});

describe('dueState', () => {
	it.each([
		['2024-05-06', 'ok', 4],
		['2024-05-07', 'due_soon', 3],
		['2024-05-10', 'due_soon', 0],
		['2024-05-11', 'overdue', -1]
	])('on %s a date due 10 May is %s (%i days left)', (today, state) => {
		expect(dueState('2024-05-10', today)).toBe(state);
	});

	it('takes the "soon" margin as a parameter', () => {
		expect(dueState('2024-05-10', '2024-05-03', 7)).toBe('due_soon');
		expect(dueState('2024-05-10', '2024-05-09', 0)).toBe('ok');
		expect(dueState('2024-05-10', '2024-05-10', 0)).toBe('due_soon');
	});
});

describe('caseDueState: the most urgent clock binding the office', () => {
	const registered = clocks({ registeredAt: at('2024-03-04T10:00:00') });

	it('runs the route and notify clocks on a new case', () => {
		expect(openClocks(registered)).toEqual(['routeBy', 'notifyBy']);
		expect(caseDueState(registered, at('2024-03-05T09:00:00'))).toEqual({ clock: 'routeBy', due: '2024-03-19', state: 'ok' });
		expect(caseDueState(registered, at('2024-03-16T09:00:00'))).toEqual({ clock: 'routeBy', due: '2024-03-19', state: 'due_soon' });
		expect(caseDueState(registered, at('2024-03-20T00:00:00'))).toEqual({ clock: 'routeBy', due: '2024-03-19', state: 'overdue' });
	});

	it('keeps the route clock running after acceptance until the case is routed', () => {
		const acceptedLate = clocks({ status: 'accepted', acceptedAt: at('2024-03-18T09:00:00') });
		expect(openClocks(acceptedLate)).toEqual(['routeBy', 'concludeBy']);
		expect(caseDueState(acceptedLate, at('2024-03-25T09:00:00'))).toEqual({ clock: 'routeBy', due: '2024-03-19', state: 'overdue' });
	});

	it('then runs the conclusion clock, extension included', () => {
		const routed = clocks({
			status: 'in_mediation',
			acceptedAt: at('2024-03-01T09:00:00'),
			routedAt: at('2024-03-02T09:00:00'),
			extension: { days: 5, reason: '—' }
		});
		expect(caseDueState(routed, at('2024-05-01T09:00:00'))).toEqual({ clock: 'concludeBy', due: '2024-05-06', state: 'ok' });
		expect(caseDueState(routed, at('2024-05-07T09:00:00'))).toMatchObject({ state: 'overdue' });
	});

	it('has no clock for a refused, concluded or archived case, nor for the petitioner’s own request windows', () => {
		expect(caseDueState(clocks({ status: 'not_accepted', notAcceptedAt: at('2024-03-05T09:00:00') }), at('2024-06-01T09:00:00'))).toBeNull();
		const concluded = clocks({
			status: 'concluded',
			acceptedAt: at('2024-03-05T09:00:00'),
			routedAt: at('2024-03-05T09:00:00'),
			concludedAt: at('2024-04-01T09:00:00')
		});
		expect(caseDueState(concluded, at('2024-06-01T09:00:00'))).toBeNull();
		expect(caseDueState({ ...concluded, status: 'archived', reviewStage: 'review_answered' }, at('2024-06-01T09:00:00'))).toBeNull();
	});

	it('runs the answer clock of a pending review or re-review, even on an archived case', () => {
		const base = clocks({
			status: 'archived',
			acceptedAt: at('2025-01-06T09:00:00'),
			routedAt: at('2025-01-06T09:00:00'),
			concludedAt: at('2025-03-03T09:00:00')
		});
		const review = { ...base, reviewStage: 'review_requested' as const, reviewRequestedAt: at('2025-04-02T09:00:00') };
		expect(caseDueState(review, at('2025-05-04T09:00:00'))).toEqual({ clock: 'reviewAnswerBy', due: '2025-05-06', state: 'due_soon' });
		const reReview = {
			...review,
			reviewStage: 're_review_requested' as const,
			reviewAnsweredAt: at('2025-04-20T09:00:00'),
			reReviewRequestedAt: at('2025-09-02T09:00:00')
		};
		expect(caseDueState(reReview, at('2025-10-10T09:00:00'))).toEqual({ clock: 'reReviewAnswerBy', due: '2025-10-09', state: 'overdue' });
	});
});

describe('the clocks as the rules apply them', () => {
	const township: CaseActor = { id: 2, roles: ['supervisor'], placePath: '/1/4/', departmentId: null };
	const party: CaseActor = { id: 9, roles: ['party'], placePath: '/1/4/17/', departmentId: null };
	const inMediation: CaseSnapshot = {
		...clocks({ status: 'in_mediation', acceptedAt: at('2024-03-01T09:00:00'), routedAt: at('2024-03-02T09:00:00') }),
		status: 'in_mediation',
		placePath: '/1/4/17/',
		placeKind: 'village',
		departmentId: null,
		mediatorId: 3,
		filedById: null,
		partyUserIds: [9],
		handleBy: '2024-04-30',
		reReviewAnsweredAt: null
	};

	it('extends the 60-day deadline once, and refuses a second extension or one over 30 days', () => {
		const first = decide(inMediation, township, { type: 'extend', days: 5, reason: '需鉴定' }, at('2024-04-10T09:00:00'));
		if (!first.ok) throw new Error(first.reason);
		const extended = { ...inMediation, ...first.next };
		expect(dueDates(extended).concludeBy).toBe('2024-05-06');
		expect(extended.handleBy).toBe('2024-05-06');
		expect(decide(extended, township, { type: 'extend', days: 5, reason: '再延' }, at('2024-04-11T09:00:00'))).toEqual({
			ok: false,
			reason: 'wrong_state',
			field: 'extension'
		});
		expect(decide(inMediation, township, { type: 'extend', days: 31, reason: '需鉴定' }, at('2024-04-10T09:00:00'))).toEqual({
			ok: false,
			reason: 'invalid',
			field: 'days'
		});
	});

	it('opens the review window on its last day and closes it the day after', () => {
		// Concluded Monday 3 March 2025 → review may be asked until Wednesday 2 April.
		const concluded: CaseSnapshot = { ...inMediation, status: 'concluded', concludedAt: at('2025-03-03T18:00:00') };
		const ask = { type: 'request_review', reason: '对答复不服' } as const;
		expect(decide(concluded, party, ask, at('2025-04-02T00:00:00')).ok).toBe(true);
		expect(decide(concluded, party, ask, at('2025-04-02T23:59:59')).ok).toBe(true);
		expect(decide(concluded, party, ask, at('2025-04-03T00:00:00'))).toEqual({
			ok: false,
			reason: 'window_closed',
			field: 'reviewRequestBy'
		});
	});
});
