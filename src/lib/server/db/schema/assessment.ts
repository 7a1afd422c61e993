import { bigint, index, integer, jsonb, pgTable, smallint, timestamp, unique, varchar } from 'drizzle-orm/pg-core';
import { users } from './people';
import { places } from './places';

/**
 * The weights a county gives each measure of its assessment (考核, issue 13 part 4). Append-only: saving
 * the weights adds the next version, the newest is in force, and each circular prints the version it
 * was computed with, so an old circular can always be explained.
 */
export const assessmentWeightSets = pgTable(
	'assessment_weight_sets',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		countyId: integer('county_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		version: smallint('version').notNull(),
		/** Measure → weight (0–100), every measure of `assessment/rules.ts` present. */
		weights: jsonb('weights').$type<Record<string, number>>().notNull(),
		note: varchar('note', { length: 200 }).notNull(),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('assessment_weight_sets_version_uq').on(t.countyId, t.version)]
);

/** Good practice (典型经验) a circular names for a period: the unit and what it did. */
export const assessmentPractices = pgTable(
	'assessment_practices',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		countyId: integer('county_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		/** The period as the circular names it: '2026-11', '2026-Q4' or '2026'. */
		period: varchar('period', { length: 7 }).notNull(),
		unit: varchar('unit', { length: 60 }).notNull(),
		text: varchar('text', { length: 500 }).notNull(),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('assessment_practices_period_idx').on(t.countyId, t.period)]
);
