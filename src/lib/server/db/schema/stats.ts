import { bigint, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { caseCategories, cases } from './cases';
import { users } from './people';
import { departments, places } from './places';

/**
 * A recurring matter ("一类事") a supervisor confirmed from the clusters the statistics found: the cases
 * it groups, what it is called, and the department told to fix the cause rather than each case.
 */
export const matterClusters = pgTable(
	'matter_clusters',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		/** The place the matters arose in (village, or township for matters raised at the town hall). */
		placeId: integer('place_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		placePath: varchar('place_path', { length: 200 }).notNull(),
		categoryId: integer('category_id')
			.notNull()
			.references(() => caseCategories.id, { onDelete: 'restrict' }),
		title: varchar('title', { length: 100 }).notNull(),
		note: text('note').notNull(),
		departmentId: integer('department_id')
			.notNull()
			.references(() => departments.id, { onDelete: 'restrict' }),
		/** The bigrams the members share when it was confirmed (what the matters are about). */
		terms: varchar('terms', { length: 200 }).notNull(),
		size: smallint('size').notNull(),
		confirmedById: integer('confirmed_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull()
	},
	(t) => [index('matter_clusters_department_idx').on(t.departmentId, t.confirmedAt), index('matter_clusters_place_idx').on(t.placePath)]
);

export const matterClusterCases = pgTable(
	'matter_cluster_cases',
	{
		clusterId: bigint('cluster_id', { mode: 'number' })
			.notNull()
			.references(() => matterClusters.id, { onDelete: 'cascade' }),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.clusterId, t.caseId] }), index('matter_cluster_cases_case_idx').on(t.caseId)]
);

/**
 * Counts the statistics read instead of scanning the matters: per month and place, how many matters
 * fall under each figure (`dim`) and value (`key`), e.g. ('channel', 'phone') or ('concluded_days', '19').
 * Kept by triggers on `cases` in the same transaction as every write (migration 0011; the figures and
 * the date each one counts by are in the SQL function `case_stat_entries`), and rebuilt from the matters
 * by `case_stats_rebuild()`. Four levels: level 1 has one row per township (village_id -1), for county
 * figures; level 2 one row per village (0: raised at the township itself), for township and village ones;
 * level 0 the areas above the county (migration 0033): `countyId` is then the city's or the province's id
 * and `townshipId` the place one level down (county of a city, city of a province) for 'total', else 0;
 * level 3 the same rows by day (migration 0034: `month` is then the day), for periods that start or end
 * inside a month. Months and days are Shanghai ones.
 */
export const caseStatCounts = pgTable(
	'case_stat_counts',
	{
		countyId: integer('county_id').notNull(),
		level: smallint('level').notNull(),
		month: date('month', { mode: 'string' }).notNull(),
		/** 0: raised at the county itself. */
		townshipId: integer('township_id').notNull(),
		villageId: integer('village_id').notNull(),
		dim: varchar('dim', { length: 20 }).notNull(),
		key: varchar('key', { length: 40 }).notNull(),
		n: integer('n').notNull()
	},
	(t) => [
		primaryKey({ name: 'case_stat_counts_pk', columns: [t.countyId, t.level, t.month, t.townshipId, t.villageId, t.dim, t.key] }),
		index('case_stat_counts_township_idx').on(t.townshipId, t.level, t.month)
	]
);
