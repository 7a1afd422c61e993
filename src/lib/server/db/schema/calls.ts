import { bigint, index, integer, pgTable, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { caseParties } from './cases';
import { mediationSessions, sessionAttendance } from './mediation';
import { users } from './people';

/**
 * A personal link for a party without an account to join a session's call (issue 14). The link's
 * token, the newest one-time code and the grant a correct code gives are stored hashed only. The link
 * itself expires (`expiresAt`); the grant lasts a call's length. A new link for the same party and
 * session revokes the earlier one. `attendanceId` is the party's attendance row once they joined, so
 * rejoining after a dropped connection is one attendance, as for a signed-in person.
 */
export const callInvitations = pgTable(
	'call_invitations',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		sessionId: bigint('session_id', { mode: 'number' })
			.notNull()
			.references(() => mediationSessions.id, { onDelete: 'cascade' }),
		partyId: bigint('party_id', { mode: 'number' })
			.notNull()
			.references(() => caseParties.id, { onDelete: 'cascade' }),
		tokenHash: varchar('token_hash', { length: 64 }).notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		codeHash: varchar('code_hash', { length: 64 }),
		codeExpiresAt: timestamp('code_expires_at', { withTimezone: true }),
		codeUsedAt: timestamp('code_used_at', { withTimezone: true }),
		grantHash: varchar('grant_hash', { length: 64 }),
		grantExpiresAt: timestamp('grant_expires_at', { withTimezone: true }),
		attendanceId: bigint('attendance_id', { mode: 'number' }).references(() => sessionAttendance.id, { onDelete: 'set null' }),
		createdById: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [
		uniqueIndex('call_invitations_token_uq').on(t.tokenHash),
		uniqueIndex('call_invitations_grant_uq').on(t.grantHash),
		index('call_invitations_session_idx').on(t.sessionId, t.partyId)
	]
);
