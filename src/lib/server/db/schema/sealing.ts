import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { bytea } from './columns';
import { places } from './places';
import { users } from './people';

/**
 * A committee's sealing certificate (电子签章证书): the X.509 certificate with its chain and the private
 * key, encrypted with AES-256-GCM under the server's sealing key (`SEALING_KEY`, never stored here).
 * A place's certificate seals the copies of every committee at or below it (a county may hold one for
 * all its committees). Replacing one retires it (`retired_at`) but keeps it, so copies sealed with it
 * can still be verified and shown.
 */
export const sealingCertificates = pgTable(
	'sealing_certificates',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		placeId: integer('place_id')
			.notNull()
			.references(() => places.id, { onDelete: 'cascade' }),
		/** As the certificate states them (RFC 4514 order reversed for reading: CN first). */
		subject: text('subject').notNull(),
		issuer: text('issuer').notNull(),
		serialNumber: varchar('serial_number', { length: 80 }).notNull(),
		notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
		notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
		/** SHA-256 of the certificate's DER, hex. */
		fingerprint: varchar('fingerprint', { length: 64 }).notNull(),
		/** The certificate, DER. */
		certificate: bytea('certificate').notNull(),
		/** The issuing chain above it (PEM, leaf excluded), embedded in every signature. */
		chainPem: text('chain_pem').notNull().default(''),
		/** PKCS#8 private key, AES-256-GCM: 12-byte IV, then ciphertext, then the 16-byte tag. */
		keyCiphertext: bytea('key_ciphertext').notNull(),
		/** Which sealing key encrypted it (a hash of the key, not the key): a changed SEALING_KEY is named, not a crash. */
		sealingKeyId: varchar('sealing_key_id', { length: 16 }).notNull(),
		/** A self-signed certificate made for development and the demo (its subject says 演示). */
		demo: boolean('demo').notNull().default(false),
		uploadedById: integer('uploaded_by_id').references(() => users.id, { onDelete: 'set null' }),
		uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
		retiredAt: timestamp('retired_at', { withTimezone: true })
	},
	(t) => [
		// One certificate in use per place; retired ones are history.
		uniqueIndex('sealing_certificates_current_uq').on(t.placeId).where(sql`${t.retiredAt} is null`),
		index('sealing_certificates_place_idx').on(t.placeId)
	]
);

export type SealingCertificate = typeof sealingCertificates.$inferSelect;
