import { bigint, index, integer, jsonb, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';
import { users } from './people';

/**
 * Append-only log of every action. Each row stores SHA-256(prevHash + canonical content), so an
 * altered or deleted row breaks the chain (see audit/verify-chain.ts).
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
		actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
		action: varchar('action', { length: 60 }).notNull(),
		subjectType: varchar('subject_type', { length: 30 }),
		subjectId: varchar('subject_id', { length: 60 }),
		ip: varchar('ip', { length: 64 }),
		data: jsonb('data').notNull(),
		prevHash: varchar('prev_hash', { length: 64 }).notNull(),
		hash: varchar('hash', { length: 64 }).notNull()
	},
	(t) => [index('audit_subject_idx').on(t.subjectType, t.subjectId)]
);

export type AuditRow = typeof auditLog.$inferSelect;
