import { and, asc, eq } from 'drizzle-orm';
import { CHINA_CALENDAR, type HolidayCalendar } from '../cases/holidays';
import type { Db, Tx } from '../db';
import { places } from '../db/schema';
import { bookableSittings, type HalfDay } from './rules';

export interface ReceptionRequestOptions {
	countyId: number | null;
	countyName: string;
	/** Where the call is taken: the county reception centre ('county') or a township office. */
	townships: { id: number; name: string }[];
	sittings: { date: string; halfDay: HalfDay }[];
}

export interface ReceptionRequestOptionsOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** The holiday calendar for working days. */
	calendar?: HolidayCalendar;
}

/**
 * The choices of the public request form. The public site serves one county (as online filing does):
 * the first county in the tree.
 */
export async function receptionRequestOptions(db: Db | Tx, options: ReceptionRequestOptionsOptions = {}): Promise<ReceptionRequestOptions> {
	const { now = new Date(), calendar = CHINA_CALENDAR } = options;
	const [county] = await db.select({ id: places.id, name: places.name }).from(places).where(eq(places.kind, 'county')).orderBy(asc(places.id)).limit(1);
	const townships = county
		? await db
				.select({ id: places.id, name: places.name })
				.from(places)
				.where(and(eq(places.kind, 'township'), eq(places.parentId, county.id)))
				.orderBy(asc(places.path))
		: [];
	return { countyId: county?.id ?? null, countyName: county?.name ?? '', townships, sittings: bookableSittings(now, calendar) };
}
