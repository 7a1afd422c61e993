import { relations, sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { MEETING_KINDS } from '../../../enums';
import { cases } from './cases';
import { users } from './people';
import { departments, places } from './places';

/** 现场会 / 分析会 / 协调会 / 联席会: the four kinds of meeting the county holds on stalled matters. */
export const meetingKind = pgEnum('meeting_kind', MEETING_KINDS);
export type MeetingKind = (typeof meetingKind.enumValues)[number];

/**
 * A meeting on stalled matters (issue 13 part 3), held by a county or township supervisor. It belongs
 * to the holder's place: the supervisors of that place and above see it.
 */
export const coordinationMeetings = pgTable(
	'coordination_meetings',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		kind: meetingKind('kind').notNull(),
		placeId: integer('place_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		placePath: varchar('place_path', { length: 200 }).notNull(),
		heldAt: timestamp('held_at', { withTimezone: true }).notNull(),
		/** Where it was held, e.g. 涂埠镇政府三楼会议室 or the site of the dispute. */
		location: varchar('location', { length: 200 }).notNull(),
		/** The people attending as the minutes name them (free text: people outside the app attend too). */
		attendees: varchar('attendees', { length: 500 }).notNull(),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('coordination_meetings_place_idx').on(t.placePath, t.heldAt)]
);

/** The county departments taking part. */
export const meetingDepartments = pgTable(
	'meeting_departments',
	{
		meetingId: bigint('meeting_id', { mode: 'number' })
			.notNull()
			.references(() => coordinationMeetings.id, { onDelete: 'cascade' }),
		departmentId: integer('department_id')
			.notNull()
			.references(() => departments.id, { onDelete: 'restrict' })
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.departmentId] })]
);

/** A matter on the agenda, with why it was brought (stalled, passed on, reopened: the signals then). */
export const meetingMatters = pgTable(
	'meeting_matters',
	{
		meetingId: bigint('meeting_id', { mode: 'number' })
			.notNull()
			.references(() => coordinationMeetings.id, { onDelete: 'cascade' }),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		/** The signals that put it on the agenda, comma-separated (`overdue,passed_on`); empty when added by hand. */
		reasons: varchar('reasons', { length: 100 }).notNull().default('')
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.caseId] }), index('meeting_matters_case_idx').on(t.caseId)]
);

/**
 * A decision of the meeting on one matter: what is to be done, the responsible department and person,
 * and the time limit. Tracked until the person reports it done; a matter leaves the meeting list only
 * when all of its actions are done (见底清零).
 */
export const meetingActions = pgTable(
	'meeting_actions',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		meetingId: bigint('meeting_id', { mode: 'number' })
			.notNull()
			.references(() => coordinationMeetings.id, { onDelete: 'cascade' }),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		decision: text('decision').notNull(),
		departmentId: integer('department_id')
			.notNull()
			.references(() => departments.id, { onDelete: 'restrict' }),
		ownerId: integer('owner_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		/** Shanghai calendar date; the day itself is on time. */
		dueOn: date('due_on', { mode: 'string' }).notNull(),
		doneAt: timestamp('done_at', { withTimezone: true }),
		doneNote: text('done_note'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('meeting_actions_owner_idx').on(t.ownerId, t.dueOn).where(sql`${t.doneAt} is null`),
		index('meeting_actions_case_idx').on(t.caseId),
		index('meeting_actions_meeting_idx').on(t.meetingId)
	]
);

export const coordinationMeetingsRelations = relations(coordinationMeetings, ({ many }) => ({
	departments: many(meetingDepartments),
	matters: many(meetingMatters),
	actions: many(meetingActions)
}));

export type CoordinationMeeting = typeof coordinationMeetings.$inferSelect;
export type MeetingAction = typeof meetingActions.$inferSelect;
