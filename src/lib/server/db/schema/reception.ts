import { bigint, date, index, integer, pgEnum, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';
import { RECEPTION_STATUSES, type ReceptionStatus } from '../../../enums';
import { cases } from './cases';
import { users } from './people';
import { places } from './places';
import { halfDay } from './roster';

/** requested → scheduled (a time agreed, a link sent) → filed (the matter registered from the call) or cancelled. */
export const receptionStatus = pgEnum('reception_status', RECEPTION_STATUSES);
export type { ReceptionStatus };

/**
 * A petitioner's request for a video reception (视频接访, issue 14), made on the public site without an
 * account. `townshipId` null means the county reception centre (the department on duty takes it);
 * otherwise the township office does. The personal link and the grant of a correct code are stored
 * hashed only, like a signing invitation's.
 */
export const receptionRequests = pgTable(
	'reception_requests',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		countyId: integer('county_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		townshipId: integer('township_id').references(() => places.id, { onDelete: 'restrict' }),
		name: varchar('name', { length: 60 }).notNull(),
		phone: varchar('phone', { length: 20 }).notNull(),
		/** The matter in a sentence, as the petitioner put it. */
		matter: varchar('matter', { length: 200 }).notNull(),
		/** The preferred sitting: a Shanghai working day and its half. */
		preferredDate: date('preferred_date', { mode: 'string' }).notNull(),
		preferredHalfDay: halfDay('preferred_half_day').notNull(),
		status: receptionStatus('status').notNull().default('requested'),
		scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
		scheduledById: integer('scheduled_by_id').references(() => users.id, { onDelete: 'restrict' }),
		linkTokenHash: varchar('link_token_hash', { length: 64 }).unique(),
		linkExpiresAt: timestamp('link_expires_at', { withTimezone: true }),
		grantHash: varchar('grant_hash', { length: 64 }),
		grantExpiresAt: timestamp('grant_expires_at', { withTimezone: true }),
		caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'restrict' }),
		closedById: integer('closed_by_id').references(() => users.id, { onDelete: 'restrict' }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [index('reception_requests_queue_idx').on(t.countyId, t.status, t.preferredDate), index('reception_requests_phone_idx').on(t.phone)]
);

/** One-time codes texted to the petitioner's phone on file, as for signing: the newest one counts. */
export const receptionCodes = pgTable(
	'reception_codes',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		requestId: bigint('request_id', { mode: 'number' })
			.notNull()
			.references(() => receptionRequests.id, { onDelete: 'cascade' }),
		codeHash: varchar('code_hash', { length: 64 }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('reception_codes_request_idx').on(t.requestId, t.createdAt)]
);

export type ReceptionRequest = typeof receptionRequests.$inferSelect;
