import { index, integer, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';
import { bytea } from './columns';
import { users } from './people';

/**
 * A signed-in session. The cookie holds `<id>.<secret>`; only SHA-256(secret) is stored, so a
 * leaked table cannot be replayed as cookies (Lucia's session guide).
 */
export const sessions = pgTable(
	'sessions',
	{
		id: varchar('id', { length: 32 }).primaryKey(),
		secretHash: bytea('secret_hash').notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/**
 * Fixed-window counters for rate limits, shared by every instance through the database so that a
 * restart or a second instance does not reset an attacker's budget.
 */
export const rateLimits = pgTable('rate_limits', {
	key: varchar('key', { length: 200 }).primaryKey(),
	count: integer('count').notNull(),
	windowStart: timestamp('window_start', { withTimezone: true }).notNull()
});

export type Session = typeof sessions.$inferSelect;
