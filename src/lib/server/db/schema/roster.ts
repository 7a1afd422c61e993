import { bigint, date, index, integer, pgEnum, pgTable, timestamp, unique, varchar } from 'drizzle-orm/pg-core';
import { HALF_DAYS } from '../../../enums';
import { users } from './people';
import { departments, places } from './places';

/** 上午 / 下午: the county reception centre's two sittings a day. */
export const halfDay = pgEnum('half_day', HALF_DAYS);
export type HalfDay = (typeof halfDay.enumValues)[number];

/**
 * Joint reception (联合接访): which county department sits at the county reception centre
 * (县人民来访接待中心) on a date and half-day, and who of its staff. Several departments may sit
 * together; one department sits at most once per half-day.
 */
export const dutyRoster = pgTable(
	'duty_roster',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		countyId: integer('county_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		departmentId: integer('department_id')
			.notNull()
			.references(() => departments.id, { onDelete: 'restrict' }),
		/** Shanghai calendar date. */
		dutyDate: date('duty_date', { mode: 'string' }).notNull(),
		halfDay: halfDay('half_day').notNull(),
		/** The staff sitting, as the department names them (free text: people outside the app sit too). */
		staffNames: varchar('staff_names', { length: 200 }).notNull(),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('duty_roster_slot_uq').on(t.departmentId, t.dutyDate, t.halfDay),
		index('duty_roster_county_date_idx').on(t.countyId, t.dutyDate)
	]
);

export type DutyRosterEntry = typeof dutyRoster.$inferSelect;
