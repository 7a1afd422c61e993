import { bigint, index, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';

/**
 * A one-time 6-digit code for a party's sign-in by phone (手机号 + 验证码). Only its hash is stored;
 * it expires, is used at most once, and only the newest of a phone counts. A row is written for every
 * accepted request, whether or not the phone is on a case (the text is sent only when it is), so the
 * resend wait and the answers are the same for every number and do not tell who is a party.
 */
export const partyLoginCodes = pgTable(
	'party_login_codes',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		phone: varchar('phone', { length: 11 }).notNull(),
		codeHash: varchar('code_hash', { length: 64 }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('party_login_codes_phone_idx').on(t.phone, t.createdAt)]
);
