import { and, asc, desc, eq, gte, inArray, isNull, like, lte } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { CHINA_CALENDAR, type HolidayCalendar } from '../cases/holidays';
import type { Db } from '../db';
import { cases, departments, dutyRoster, users } from '../db/schema';
import { AppError } from '../errors';
import { countyIdOf, mayKeepRoster, mayViewRoster, monthDays, rosterGaps, sittingAt, type HalfDay } from './rules';

export interface RosterEntryView {
	id: number;
	departmentId: number;
	departmentName: string;
	dutyDate: string;
	halfDay: HalfDay;
	staffNames: string;
}

/** How many walk-ins awaiting routing the intake shows: the centre handles a few a day. */
const WALK_IN_LIMIT = 20;

export interface LoadRosterOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** The holiday calendar for working days. */
	calendar?: HolidayCalendar;
}

/**
 * A month of the roster for the county's people: the sittings, the working half-days nobody covers,
 * who sits now, and the walk-in matters filed at the county that no department has yet.
 */
export async function loadRoster(db: Db, actor: Viewer, month: string, options: LoadRosterOptions = {}) {
	const { now = new Date(), calendar = CHINA_CALENDAR } = options;
	if (!mayViewRoster(actor)) throw new AppError('forbidden');
	const countyId = countyIdOf(actor);
	const days = monthDays(month);
	const entries = await entriesBetween(db, countyId, days[0], days[days.length - 1]);
	const sitting = sittingAt(now);
	const onDuty = (await entriesBetween(db, countyId, sitting.date, sitting.date)).filter((e) => e.halfDay === sitting.halfDay);
	const walkIns = await db
		.select({ id: cases.id, title: cases.title, status: cases.status, registeredAt: cases.registeredAt })
		.from(cases)
		.innerJoin(users, eq(users.id, cases.filedById))
		.where(
			and(
				eq(cases.channel, 'walk_in'),
				// Filed at the centre: by someone working at the county itself. The matter's place is
				// where it arose (a township or village), which the county sees.
				eq(users.placeId, actor.place.id),
				like(cases.placePath, `${actor.place.path}%`),
				inArray(cases.status, ['registered', 'accepted']),
				isNull(cases.departmentId)
			)
		)
		.orderBy(desc(cases.registeredAt))
		.limit(WALK_IN_LIMIT);
	const departmentOptions = mayKeepRoster(actor)
		? await db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.countyId, countyId)).orderBy(asc(departments.id))
		: [];
	return {
		month,
		entries,
		gaps: rosterGaps(month, entries, calendar),
		workingDays: days.filter((d) => calendar.isWorkingDay(d)),
		sitting,
		onDuty,
		walkIns,
		departments: departmentOptions,
		mayKeep: mayKeepRoster(actor)
	};
}

export async function entriesBetween(db: Db, countyId: number, from: string, to: string): Promise<RosterEntryView[]> {
	return db
		.select({
			id: dutyRoster.id,
			departmentId: dutyRoster.departmentId,
			departmentName: departments.name,
			dutyDate: dutyRoster.dutyDate,
			halfDay: dutyRoster.halfDay,
			staffNames: dutyRoster.staffNames
		})
		.from(dutyRoster)
		.innerJoin(departments, eq(departments.id, dutyRoster.departmentId))
		.where(and(eq(dutyRoster.countyId, countyId), gte(dutyRoster.dutyDate, from), lte(dutyRoster.dutyDate, to)))
		.orderBy(asc(dutyRoster.dutyDate), asc(dutyRoster.halfDay), asc(departments.id));
}
