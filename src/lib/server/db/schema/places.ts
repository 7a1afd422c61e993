import { relations, sql } from 'drizzle-orm';
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

export const placeKind = pgEnum('place_kind', ['county', 'township', 'village']);
export type PlaceKind = (typeof placeKind.enumValues)[number];

/**
 * County → township (乡镇/街道) → village (村/社区). `path` is the chain of ids from the county down,
 * e.g. `/1/4/17/`, so "this place and everything below it" is one prefix match on an index.
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
		check('places_county_root', sql`(${t.kind} = 'county') = (${t.parentId} is null)`)
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

export const placesRelations = relations(places, ({ one, many }) => ({
	parent: one(places, { fields: [places.parentId], references: [places.id], relationName: 'tree' }),
	children: many(places, { relationName: 'tree' }),
	departments: many(departments)
}));

export const departmentsRelations = relations(departments, ({ one }) => ({
	county: one(places, { fields: [departments.countyId], references: [places.id] })
}));

export type Place = typeof places.$inferSelect;
export type Department = typeof departments.$inferSelect;
