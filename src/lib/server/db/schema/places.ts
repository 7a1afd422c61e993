import { sql } from 'drizzle-orm';
import { PLACE_KINDS, type PlaceKind } from '../../../enums';
import {
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	timestamp,
	unique,
	varchar,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';

export const placeKind = pgEnum('place_kind', PLACE_KINDS);
export type { PlaceKind };

/**
 * Province (省) → city (市) → county → township (乡镇/街道) → village (村/社区). A tree's root is a
 * province, a city or a county (a single-county installation has no city above it). `path` is the chain
 * of ids from the root down, e.g. `/1/4/17/` or `/90/1/4/17/` under a city, so "this place and
 * everything below it" is one prefix match on an index.
 */
export const places = pgTable(
	'places',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		kind: placeKind('kind').notNull(),
		parentId: integer('parent_id').references((): AnyPgColumn => places.id, { onDelete: 'restrict' }),
		name: varchar('name', { length: 60 }).notNull(),
		path: varchar('path', { length: 200 }).notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('places_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
		index('places_parent_idx').on(t.parentId),
		unique('places_parent_name_uq').on(t.parentId, t.name).nullsNotDistinct(),
		// Only a province, a city or a county may be a root; the kind of a child follows from its parent's
		// (places/rules.ts childKindOf). Compared as text so that the check does not use the enum's new
		// values in the migration that adds them.
		check('places_root_kind', sql`${t.parentId} is not null or ${t.kind}::text in ('province', 'city', 'county')`)
	]
);

/** County departments (县直部门): routing targets for matters that need an administrative owner. */
export const departments = pgTable(
	'departments',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		countyId: integer('county_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		name: varchar('name', { length: 60 }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('departments_county_name_uq').on(t.countyId, t.name)]
);

export type Place = typeof places.$inferSelect;
export type Department = typeof departments.$inferSelect;
