import { integer, pgTable, smallint, timestamp, varchar, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './people';

/**
 * How long the county keeps each kind of personal data (个人信息保护法 art. 19: no longer than the
 * purpose needs), set by the county with `npm run retention -- --set <type>=<years>` and applied by
 * `npm run retention`. No row for a type: nothing is masked for it.
 */
export const retentionPolicies = pgTable(
	'retention_policies',
	{
		/** See `RETENTION_TYPES` in privacy/retention-rules.ts. */
		recordType: varchar('record_type', { length: 40 }).primaryKey(),
		years: smallint('years').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedById: integer('updated_by_id').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [check('retention_policies_years', sql`${t.years} between 1 and 100`)]
);
