import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	date,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	smallint,
	text,
	timestamp,
	unique,
	varchar,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import { CASE_STATUSES, CHANNELS, PARTY_KINDS, PARTY_SIDES, REVIEW_STAGES, SUPERVISION_STATUSES } from '../../../enums';
import type { CaseEventKind } from '../../../enums';
import { users } from './people';
import { departments, places } from './places';
import { studios } from './studios';

/** Where a matter came in (see shared/domain.md: six online-hall channels, plus walk-ins, grid reports and agents). */
export const caseChannel = pgEnum('case_channel', CHANNELS);

/** The loop 接→转→办→评→报 as states; transitions live in src/lib/server/cases (pure rules). */
export const caseStatus = pgEnum('case_status', CASE_STATUSES);

/** 复查 / 复核 progress (信访工作条例 arts. 35/36). */
export const reviewStage = pgEnum('review_stage', REVIEW_STAGES);

export const partySide = pgEnum('party_side', PARTY_SIDES);
export const partyKind = pgEnum('party_kind', PARTY_KINDS);

/** Dispute categories; editable by admins, so a table and not an enum. */
export const caseCategories = pgTable('case_categories', {
	id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
	code: varchar('code', { length: 30 }).notNull().unique('case_categories_code_uq'),
	nameZh: varchar('name_zh', { length: 40 }).notNull(),
	nameEn: varchar('name_en', { length: 60 }).notNull(),
	sortOrder: smallint('sort_order').notNull().default(0),
	active: boolean('active').notNull().default(true)
});

/**
 * A matter (信访事项 / 纠纷). The origin area (county/township/village ids) fixes who may see it;
 * `placeId`/`placePath` is the level handling it now and moves on escalation or return. Due dates
 * are derived by the clocks module at every transition and stored so lists can filter on them.
 */
export const cases = pgTable(
	'cases',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		/** Public case number, e.g. 2026-000123 (with the query code, enough to follow it). */
		number: varchar('number', { length: 20 }).notNull().unique('cases_number_uq'),
		/** SHA-256 (hex) of the private query code given to the person who raised the matter. */
		queryCodeHash: varchar('query_code_hash', { length: 64 }).notNull(),
		channel: caseChannel('channel').notNull(),
		categoryId: integer('category_id')
			.notNull()
			.references(() => caseCategories.id, { onDelete: 'restrict' }),
		title: varchar('title', { length: 100 }).notNull(),
		description: text('description').notNull(),
		status: caseStatus('status').notNull().default('registered'),
		/** The province and city above the county, when the installation has them (issue 21). */
		provinceId: integer('province_id').references(() => places.id, { onDelete: 'restrict' }),
		cityId: integer('city_id').references(() => places.id, { onDelete: 'restrict' }),
		countyId: integer('county_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		townshipId: integer('township_id').references(() => places.id, { onDelete: 'restrict' }),
		villageId: integer('village_id').references(() => places.id, { onDelete: 'restrict' }),
		placeId: integer('place_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		placePath: varchar('place_path', { length: 200 }).notNull(),
		departmentId: integer('department_id').references(() => departments.id, { onDelete: 'set null' }),
		mediatorId: integer('mediator_id').references(() => users.id, { onDelete: 'set null' }),
		/** The named mediation studio a supervisor assigned it to; its members act as its mediators. */
		studioId: integer('studio_id').references(() => studios.id, { onDelete: 'set null' }),
		/** When it was last assigned to its studio: the studio's time to resolve counts from here. */
		studioAssignedAt: timestamp('studio_assigned_at', { withTimezone: true }),
		/** The staff member, agent or grid worker who entered it; null for public online filing. */
		filedById: integer('filed_by_id').references(() => users.id, { onDelete: 'set null' }),
		repeatOfId: bigint('repeat_of_id', { mode: 'number' }).references((): AnyPgColumn => cases.id, { onDelete: 'set null' }),
		isRepeat: boolean('is_repeat').notNull().default(false),
		/** Raised beyond the county (e.g. to the city or province): reported in the statistics. */
		escalatedBeyondCounty: boolean('escalated_beyond_county').notNull().default(false),
		/** How far above the county it went (市, 省 = 赴省, 京 = 进京): the assessment counts 进京 and 赴省 apart. */
		escalatedTo: varchar('escalated_to', { length: 10 }).$type<'city' | 'province' | 'beijing'>(),
		registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		assignedAt: timestamp('assigned_at', { withTimezone: true }),
		concludedAt: timestamp('concluded_at', { withTimezone: true }),
		archivedAt: timestamp('archived_at', { withTimezone: true }),
		extensionDays: smallint('extension_days'),
		extensionReason: text('extension_reason'),
		reviewStage: reviewStage('review_stage').notNull().default('none'),
		reviewRequestedAt: timestamp('review_requested_at', { withTimezone: true }),
		reviewAnsweredAt: timestamp('review_answered_at', { withTimezone: true }),
		reReviewRequestedAt: timestamp('re_review_requested_at', { withTimezone: true }),
		reReviewAnsweredAt: timestamp('re_review_answered_at', { withTimezone: true }),
		rejectReason: text('reject_reason'),
		conclusionReason: text('conclusion_reason'),
		conclusionSummary: text('conclusion_summary'),
		/**
		 * The parties' names, one per line, written with the parties (they are not changed later): the case
		 * list's text search reads them here, and the search index (migration 0013, cases/list/text-search.ts)
		 * covers them with the title and the description.
		 */
		partyNames: text('party_names').notNull().default(''),
		/** The next open statutory deadline (Shanghai calendar date), recomputed at every transition. */
		nextDueOn: date('next_due_on', { mode: 'string' }),
		routeDueOn: date('route_due_on', { mode: 'string' }),
		concludeDueOn: date('conclude_due_on', { mode: 'string' }),
		lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull(),
		publicRating: smallint('public_rating'),
		publicRatingComment: varchar('public_rating_comment', { length: 500 }),
		publicRatedAt: timestamp('public_rated_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('cases_province_registered_idx').on(t.provinceId, t.registeredAt.desc()).where(sql`${t.provinceId} is not null`),
		index('cases_city_registered_idx').on(t.cityId, t.registeredAt.desc()).where(sql`${t.cityId} is not null`),
		index('cases_county_registered_idx').on(t.countyId, t.registeredAt.desc()),
		index('cases_township_registered_idx').on(t.townshipId, t.registeredAt.desc()),
		index('cases_village_registered_idx').on(t.villageId, t.registeredAt.desc()),
		index('cases_department_idx').on(t.departmentId, t.registeredAt.desc()),
		index('cases_filed_by_idx').on(t.filedById),
		index('cases_mediator_idx').on(t.mediatorId),
		index('cases_studio_idx').on(t.studioId).where(sql`${t.studioId} is not null`),
		index('cases_status_due_idx').on(t.status, t.nextDueOn),
		// A county's open matters by deadline (the list's status + overdue filters): at 2M matters over 13
		// counties the county part no longer comes from intersecting two bitmaps of 70,000 and 150,000 rows.
		index('cases_county_status_due_idx').on(t.countyId, t.status, t.nextDueOn),
		// What is overdue now in a city or a province (the monthly report): its open matters only.
		index('cases_city_due_idx').on(t.cityId, t.nextDueOn).where(sql`${t.cityId} is not null and ${t.nextDueOn} is not null`),
		index('cases_province_due_idx').on(t.provinceId, t.nextDueOn).where(sql`${t.provinceId} is not null and ${t.nextDueOn} is not null`),
		index('cases_repeat_of_idx').on(t.repeatOfId),
		// The case list's sort orders (id breaks ties so pages are stable). A county supervisor's scope is
		// an OR (area or department), which no per-area index serves: reading one of these in order and
		// stopping after a page is what keeps that list fast at 200k matters (see scripts/bench-cases.ts).
		// NULLS FIRST to match a plain ORDER BY … DESC (and, read backwards, … ASC): the planner does not
		// treat NOT NULL columns as matching either null order.
		index('cases_registered_idx').on(t.registeredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
		index('cases_next_due_idx').on(t.nextDueOn.asc().nullsLast(), t.id.asc()),
		index('cases_activity_idx').on(t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
		// The statistics count matters concluded or rated within a period, whenever they were registered.
		index('cases_concluded_idx').on(t.concludedAt).where(sql`${t.concludedAt} is not null`),
		index('cases_rated_idx').on(t.publicRatedAt).where(sql`${t.publicRatedAt} is not null`),
		check('cases_rating_range', sql`${t.publicRating} is null or ${t.publicRating} between 1 and 5`),
		check('cases_extension_range', sql`${t.extensionDays} is null or ${t.extensionDays} between 1 and 30`),
		check('cases_escalated_to', sql`${t.escalatedTo} is null or (${t.escalatedBeyondCounty} and ${t.escalatedTo} in ('city', 'province', 'beijing'))`)
	]
);

/**
 * A party to a matter. ID numbers and phones are sensitive personal data (个人信息保护法): shown
 * masked, in full only to roles that need them, and each full view is audited.
 */
export const caseParties = pgTable(
	'case_parties',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		side: partySide('side').notNull(),
		kind: partyKind('kind').notNull().default('person'),
		name: varchar('name', { length: 60 }).notNull(),
		phone: varchar('phone', { length: 11 }),
		idNumber: varchar('id_number', { length: 18 }),
		address: varchar('address', { length: 200 }),
		/** The party's own account, when they have one (to see and sign their matters). */
		userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
		sortOrder: smallint('sort_order').notNull().default(0),
		/** When the retention run masked phone, ID number and address for good (privacy/apply-retention.ts). */
		personalDataMaskedAt: timestamp('personal_data_masked_at', { withTimezone: true })
	},
	(t) => [index('case_parties_case_idx').on(t.caseId), index('case_parties_user_idx').on(t.userId), index('case_parties_phone_idx').on(t.phone)]
);

/** The timeline: every transition and note. `public` entries show on the public tracking page. */
export const caseEvents = pgTable(
	'case_events',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		at: timestamp('at', { withTimezone: true }).notNull(),
		actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
		kind: varchar('kind', { length: 40 }).$type<CaseEventKind>().notNull(),
		fromStatus: caseStatus('from_status'),
		toStatus: caseStatus('to_status'),
		note: text('note'),
		data: jsonb('data').notNull().default({}),
		public: boolean('public').notNull().default(false)
	},
	(t) => [index('case_events_case_idx').on(t.caseId, t.at)]
);

/** Uploaded evidence, stored outside the web root under DATA_DIR/attachments by `storageKey`. */
export const caseAttachments = pgTable(
	'case_attachments',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		uploadedById: integer('uploaded_by_id').references(() => users.id, { onDelete: 'set null' }),
		fileName: varchar('file_name', { length: 200 }).notNull(),
		mimeType: varchar('mime_type', { length: 60 }).notNull(),
		sizeBytes: integer('size_bytes').notNull(),
		sha256: varchar('sha256', { length: 64 }).notNull(),
		storageKey: varchar('storage_key', { length: 80 }).notNull().unique('case_attachments_storage_uq'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('case_attachments_case_idx').on(t.caseId)]
);

export const supervisionStatus = pgEnum('supervision_status', SUPERVISION_STATUSES);

/** 督办: a push on a stalled or overdue matter, naming an owner and a time limit. */
export const supervisionOrders = pgTable(
	'supervision_orders',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		issuedById: integer('issued_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		ownerId: integer('owner_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		dueOn: date('due_on', { mode: 'string' }).notNull(),
		note: text('note').notNull(),
		status: supervisionStatus('status').notNull().default('open'),
		answer: text('answer'),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('supervision_owner_idx').on(t.ownerId, t.status), index('supervision_case_idx').on(t.caseId)]
);

/** Yearly counter for case numbers, bumped in the filing transaction. */
export const caseNumberCounters = pgTable(
	'case_number_counters',
	{ year: smallint('year').notNull(), last: integer('last').notNull() },
	(t) => [unique('case_number_counters_year_uq').on(t.year)]
);

export type Case = typeof cases.$inferSelect;
export type CaseParty = typeof caseParties.$inferSelect;
export type CaseEvent = typeof caseEvents.$inferSelect;
export type SupervisionOrder = typeof supervisionOrders.$inferSelect;
