import { bigint, integer, pgTable, text, timestamp, unique, varchar } from 'drizzle-orm/pg-core';
import { agreements } from './agreements';
import { users } from './people';

/**
 * The frozen texts of an agreement that were unfrozen, kept as they were: unfreezing clears the
 * agreement's own `frozen_text`, and the parties asked to sign again must be able to see what changed
 * since the text they were last asked to sign (电子签名法 art. 13: a change to signed content shows).
 * One row per unfrozen revision, written in the unfreeze's transaction; never updated.
 */
export const agreementFrozenTexts = pgTable(
	'agreement_frozen_texts',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		agreementId: bigint('agreement_id', { mode: 'number' })
			.notNull()
			.references(() => agreements.id, { onDelete: 'cascade' }),
		revision: integer('revision').notNull(),
		text: text('text').notNull(),
		hash: varchar('hash', { length: 64 }).notNull(),
		frozenAt: timestamp('frozen_at', { withTimezone: true }),
		frozenById: integer('frozen_by_id').references(() => users.id, { onDelete: 'set null' }),
		unfrozenAt: timestamp('unfrozen_at', { withTimezone: true }).notNull(),
		unfrozenById: integer('unfrozen_by_id').references(() => users.id, { onDelete: 'set null' }),
		reason: text('reason').notNull()
	},
	(t) => [unique('agreement_frozen_texts_revision_uq').on(t.agreementId, t.revision)]
);

export type AgreementFrozenText = typeof agreementFrozenTexts.$inferSelect;
