import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	date,
	index,
	integer,
	pgEnum,
	pgTable,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
	varchar
} from 'drizzle-orm/pg-core';
import { AGREEMENT_STATUSES, type AgreementStatus, NAME_CONFIRMATIONS, SIGNATURE_CHANNELS, SIGNATURE_MARKS, SIGNER_ROLES } from '../../../enums';
import { caseParties, cases } from './cases';
import { bytea } from './columns';
import { mediationSessions } from './mediation';
import { users } from './people';
import { places } from './places';

/**
 * draft → frozen → effective. Unfreezing a frozen agreement returns it to draft and voids every
 * signature given on it (人民调解法 art. 29, 电子签名法 art. 13: a change after signing must show).
 */
export const agreementStatus = pgEnum('agreement_status', AGREEMENT_STATUSES);

/**
 * The written mediation agreement (调解协议书) of a case, art. 29: the parties' basic details (read from
 * the case's parties), the main facts, the disputed issues, each party's responsibility
 * (`agreement_parties`), the agreed terms (`agreement_terms`) and further agreed matters in free text.
 * Freezing stores the canonical text and its SHA-256; signatures bind to that hash. `revision` counts
 * freezes, so a signature names the exact frozen text it was given on.
 */
export const agreements = pgTable(
	'agreements',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		/** The session in which the agreement was reached, when known. */
		sessionId: bigint('session_id', { mode: 'number' }).references(() => mediationSessions.id, { onDelete: 'set null' }),
		status: agreementStatus('status').notNull().default('draft'),
		facts: text('facts').notNull().default(''),
		issues: text('issues').notNull().default(''),
		/** Agreed matters that are not a performable term (e.g. "双方今后互不追究"). */
		otherTerms: text('other_terms').notNull().default(''),
		revision: integer('revision').notNull().default(0),
		/** The place acting as the people's mediation committee (its name and seal), fixed at freeze. */
		committeePlaceId: integer('committee_place_id').references(() => places.id, { onDelete: 'restrict' }),
		frozenText: text('frozen_text'),
		frozenHash: varchar('frozen_hash', { length: 64 }),
		frozenAt: timestamp('frozen_at', { withTimezone: true }),
		frozenById: integer('frozen_by_id').references(() => users.id, { onDelete: 'set null' }),
		/** When the committee's seal was applied (with the mediator's signature, last). */
		sealedAt: timestamp('sealed_at', { withTimezone: true }),
		effectiveAt: timestamp('effective_at', { withTimezone: true }),
		/** The Shanghai calendar date it took effect: art. 33's 30 days run from here. */
		effectiveOn: date('effective_on', { mode: 'string' }),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
	},
	(t) => [
		unique('agreements_case_uq').on(t.caseId),
		check('agreements_frozen_has_hash', sql`${t.status} = 'draft' or (${t.frozenHash} is not null and ${t.frozenText} is not null)`),
		check('agreements_effective_dated', sql`${t.status} <> 'effective' or ${t.effectiveOn} is not null`)
	]
);

/** Each party's responsibility in the agreement (art. 29), one row per party of the case. */
export const agreementParties = pgTable(
	'agreement_parties',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		agreementId: bigint('agreement_id', { mode: 'number' })
			.notNull()
			.references(() => agreements.id, { onDelete: 'cascade' }),
		partyId: bigint('party_id', { mode: 'number' })
			.notNull()
			.references(() => caseParties.id, { onDelete: 'cascade' }),
		responsibility: text('responsibility').notNull().default('')
	},
	(t) => [unique('agreement_parties_uq').on(t.agreementId, t.partyId)]
);

/**
 * One agreed term: who (`obligorPartyId`; null when it binds every party) does what, for how much
 * (fen, never negative), how, and by when. Ids stay stable across edits, so performance tracking can
 * refer to a term of the effective agreement.
 */
export const agreementTerms = pgTable(
	'agreement_terms',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		agreementId: bigint('agreement_id', { mode: 'number' })
			.notNull()
			.references(() => agreements.id, { onDelete: 'cascade' }),
		seq: smallint('seq').notNull(),
		obligorPartyId: bigint('obligor_party_id', { mode: 'number' }).references(() => caseParties.id, { onDelete: 'cascade' }),
		what: varchar('what', { length: 500 }).notNull(),
		amountFen: bigint('amount_fen', { mode: 'number' }),
		how: varchar('how', { length: 300 }).notNull().default(''),
		dueOn: date('due_on', { mode: 'string' })
	},
	(t) => [
		index('agreement_terms_agreement_idx').on(t.agreementId, t.seq),
		check('agreement_terms_amount_non_negative', sql`${t.amountFen} is null or ${t.amountFen} >= 0`)
	]
);

export const signerRole = pgEnum('agreement_signer_role', SIGNER_ROLES);
export const signatureMark = pgEnum('agreement_signature_mark', SIGNATURE_MARKS);
export const signatureChannel = pgEnum('agreement_signature_channel', SIGNATURE_CHANNELS);
export const nameConfirmation = pgEnum('agreement_name_confirmation', NAME_CONFIRMATIONS);

/**
 * A signature (or a refusal, with its reason) on one frozen revision. `hash` is the frozen hash the
 * signer was shown and submitted; it must equal the agreement's at the time. Unfreezing voids it
 * (kept, marked void) instead of deleting it.
 */
export const agreementSignatures = pgTable(
	'agreement_signatures',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		agreementId: bigint('agreement_id', { mode: 'number' })
			.notNull()
			.references(() => agreements.id, { onDelete: 'cascade' }),
		revision: integer('revision').notNull(),
		hash: varchar('hash', { length: 64 }).notNull(),
		role: signerRole('role').notNull(),
		/** The case party signing (role `party`). */
		partyId: bigint('party_id', { mode: 'number' }).references(() => caseParties.id, { onDelete: 'cascade' }),
		/** The account that signed, if any (a party through an invitation link has none). */
		userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
		channel: signatureChannel('channel').notNull(),
		refused: boolean('refused').notNull().default(false),
		refusalReason: varchar('refusal_reason', { length: 500 }),
		mark: signatureMark('mark'),
		/** PNG of the drawn signature or thumbprint mark. */
		image: bytea('image'),
		imageSha256: varchar('image_sha256', { length: 64 }),
		typedName: varchar('typed_name', { length: 60 }),
		signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
		ip: varchar('ip', { length: 64 }),
		/**
		 * Evidence of who signed, printed with the signature (as DocuSeal's audit trail does): the browser's
		 * user agent, and for a link signer the last four digits of the phone the one-time code went to
		 * (`channel` says account or link). Null on rows from before it was recorded.
		 */
		userAgent: varchar('user_agent', { length: 300 }),
		phoneTail: varchar('phone_tail', { length: 4 }),
		nameConfirmation: nameConfirmation('name_confirmation'),
		voidedAt: timestamp('voided_at', { withTimezone: true }),
		voidReason: varchar('void_reason', { length: 300 })
	},
	(t) => [
		index('agreement_signatures_agreement_idx').on(t.agreementId),
		// One standing answer per party and one mediator signature per agreement; void ones are history.
		uniqueIndex('agreement_signatures_party_uq').on(t.agreementId, t.partyId).where(sql`${t.voidedAt} is null and ${t.role} = 'party'`),
		uniqueIndex('agreement_signatures_mediator_uq').on(t.agreementId).where(sql`${t.voidedAt} is null and ${t.role} = 'mediator'`),
		check('agreement_signatures_party_named', sql`${t.role} <> 'party' or ${t.partyId} is not null`),
		check(
			'agreement_signatures_shape',
			sql`(${t.refused} and ${t.refusalReason} is not null and ${t.image} is null) or (not ${t.refused} and ${t.image} is not null and ${t.mark} is not null and ${t.typedName} is not null)`
		)
	]
);

/**
 * A party's personal signing link. Only SHA-256 of the random token is stored; the link is shown once
 * to the mediator. `grantHash` is the short-lived signing grant issued after a correct one-time code.
 */
export const signingInvitations = pgTable(
	'signing_invitations',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		agreementId: bigint('agreement_id', { mode: 'number' })
			.notNull()
			.references(() => agreements.id, { onDelete: 'cascade' }),
		partyId: bigint('party_id', { mode: 'number' })
			.notNull()
			.references(() => caseParties.id, { onDelete: 'cascade' }),
		tokenHash: varchar('token_hash', { length: 64 }).notNull(),
		createdById: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		grantHash: varchar('grant_hash', { length: 64 }),
		grantExpiresAt: timestamp('grant_expires_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('signing_invitations_token_uq').on(t.tokenHash), index('signing_invitations_agreement_idx').on(t.agreementId, t.partyId)]
);

/** A one-time 6-digit code sent for an invitation: stored hashed, expires, used at most once. */
export const signingCodes = pgTable(
	'signing_codes',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		invitationId: bigint('invitation_id', { mode: 'number' })
			.notNull()
			.references(() => signingInvitations.id, { onDelete: 'cascade' }),
		codeHash: varchar('code_hash', { length: 64 }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('signing_codes_invitation_idx').on(t.invitationId, t.createdAt)]
);

/** Messages handed to the development SMS sender (instead of a provider): read on the outbox page. */
export const smsOutbox = pgTable(
	'sms_outbox',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' }).references(() => cases.id, { onDelete: 'cascade' }),
		phone: varchar('phone', { length: 20 }).notNull(),
		body: varchar('body', { length: 500 }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull()
	},
	(t) => [index('sms_outbox_case_idx').on(t.caseId, t.createdAt)]
);

/** The seal image of a place acting as a people's mediation committee (人民调解委员会), uploaded by an admin. */
export const committeeSeals = pgTable(
	'committee_seals',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		placeId: integer('place_id')
			.notNull()
			.references(() => places.id, { onDelete: 'cascade' }),
		image: bytea('image').notNull(),
		imageSha256: varchar('image_sha256', { length: 64 }).notNull(),
		uploadedById: integer('uploaded_by_id').references(() => users.id, { onDelete: 'set null' }),
		uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull()
	},
	(t) => [unique('committee_seals_place_uq').on(t.placeId)]
);

export type Agreement = typeof agreements.$inferSelect;
export type AgreementTerm = typeof agreementTerms.$inferSelect;
export type AgreementSignature = typeof agreementSignatures.$inferSelect;
export type { AgreementStatus };
