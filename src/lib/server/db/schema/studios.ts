import { index, integer, pgTable, primaryKey, timestamp, varchar } from 'drizzle-orm/pg-core';
import { users } from './people';
import { places } from './places';

/**
 * A named mediation studio (品牌调解工作室, issue 13 part 1), e.g. 徐云峰矛盾纠纷调解工作室: a lead
 * mediator and members at a place, with its own way of working, taking hard and long-standing
 * matters (积案, "骨头案") that a supervisor assigns to it (`cases.studio_id`).
 */
export const studios = pgTable(
	'studios',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		countyId: integer('county_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		/** Where it sits (the county or a township); supervisors of this place and above assign to it. */
		placeId: integer('place_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		name: varchar('name', { length: 60 }).notNull(),
		leadId: integer('lead_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		/** Its method in a few lines, e.g. 望闻问切"五心"工作法. */
		method: varchar('method', { length: 500 }).notNull(),
		/** What it takes on, e.g. 积案、"骨头案"、邻里宅基地纠纷. */
		intake: varchar('intake', { length: 300 }).notNull(),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('studios_county_idx').on(t.countyId)]
);

/** The studio's mediators (the lead is one of them). They act as mediators on the studio's cases. */
export const studioMembers = pgTable(
	'studio_members',
	{
		studioId: integer('studio_id')
			.notNull()
			.references(() => studios.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.studioId, t.userId] }), index('studio_members_user_idx').on(t.userId)]
);

export type Studio = typeof studios.$inferSelect;
