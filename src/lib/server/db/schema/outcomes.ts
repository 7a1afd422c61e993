import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, date, index, integer, pgEnum, pgTable, smallint, text, timestamp, unique, varchar } from 'drizzle-orm/pg-core';
import { NEXT_STEPS, OPINION_POSITIONS, OUTCOME_CLASSES, OUTCOME_KINDS, PETITION_DECISIONS, VISIT_METHODS } from '../../../enums';
import { agreements, agreementTerms } from './agreements';
import { caseParties, cases } from './cases';
import { panelMembers } from './mediation';
import { users } from './people';
import { sealingCertificates } from './sealing';

/** A panelist's position on the dispute (评理意见). */
export const opinionPosition = pgEnum('opinion_position', OPINION_POSITIONS);

/**
 * One panel member's reasoned opinion on a case. Hidden from everyone but its author until the
 * case's opinions are revealed (`opinion_reveals`), so nobody just follows the first voice.
 */
export const panelOpinions = pgTable(
	'panel_opinions',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		memberId: bigint('member_id', { mode: 'number' })
			.notNull()
			.references(() => panelMembers.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		position: opinionPosition('position').notNull(),
		reasons: text('reasons').notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
	},
	(t) => [unique('panel_opinions_case_user_uq').on(t.caseId, t.userId), check('panel_opinions_reasons_len', sql`char_length(${t.reasons}) between 1 and 2000`)]
);

/**
 * When a case's opinions became visible to all who see the case: automatically when the last
 * sitting member submitted, or by the mediator. One row per case; a reveal is not undone.
 */
export const opinionReveals = pgTable('opinion_reveals', {
	caseId: bigint('case_id', { mode: 'number' })
		.primaryKey()
		.references(() => cases.id, { onDelete: 'cascade' }),
	revealedAt: timestamp('revealed_at', { withTimezone: true }).notNull(),
	/** The mediator who revealed them; null when every sitting member had submitted. */
	revealedById: integer('revealed_by_id').references(() => users.id, { onDelete: 'set null' })
});

/** How mediation ended (人民调解法 arts. 26, 28–30). */
export const outcomeKind = pgEnum('outcome_kind', OUTCOME_KINDS);
/** The county's "三个一批" reporting class: resolved, relieved with aid, explained. */
export const outcomeClass = pgEnum('outcome_class', OUTCOME_CLASSES);
/** 信访工作条例 art. 32: the decision supports, explains, or does not support the claim. */
export const petitionDecision = pgEnum('petition_decision', PETITION_DECISIONS);
/** What the case did next: concluded with the reply, or (a failure) referred to the next level. */
export const outcomeNext = pgEnum('outcome_next', NEXT_STEPS);

/**
 * The result of a case's mediation as the mediator recorded it, with the case transition it made.
 * A case referred upward after a failure may get a later outcome at the next level, so a case can
 * have several; the latest is the current one.
 */
export const caseOutcomes = pgTable(
	'case_outcomes',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		kind: outcomeKind('kind').notNull(),
		/** What was agreed (an oral agreement's content is the record of art. 28), or why mediation failed. */
		content: text('content').notNull(),
		/** When the agreement was reached: an oral agreement binds from then (art. 30). */
		reachedAt: timestamp('reached_at', { withTimezone: true }),
		/** Art. 26: the routes the parties were told of when mediation failed. */
		routesTold: text('routes_told').array().notNull().default(sql`'{}'::text[]`),
		outcomeClass: outcomeClass('outcome_class').notNull(),
		petitionDecision: petitionDecision('petition_decision').notNull(),
		next: outcomeNext('next').notNull(),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull()
	},
	(t) => [
		index('case_outcomes_case_idx').on(t.caseId, t.recordedAt),
		check('case_outcomes_failure_routes', sql`${t.kind} <> 'failure' or cardinality(${t.routesTold}) > 0`),
		check('case_outcomes_oral_reached', sql`${t.kind} <> 'oral_agreement' or ${t.reachedAt} is not null`)
	]
);

/** A party's acceptance or refusal (with the reason) of a recorded outcome; later statements are new rows. */
export const outcomeResponses = pgTable(
	'outcome_responses',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		outcomeId: bigint('outcome_id', { mode: 'number' })
			.notNull()
			.references(() => caseOutcomes.id, { onDelete: 'cascade' }),
		partyId: bigint('party_id', { mode: 'number' })
			.notNull()
			.references(() => caseParties.id, { onDelete: 'cascade' }),
		accepted: boolean('accepted').notNull(),
		reason: varchar('reason', { length: 500 }),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull()
	},
	(t) => [index('outcome_responses_outcome_idx').on(t.outcomeId), check('outcome_responses_refusal_reason', sql`${t.accepted} or ${t.reason} is not null`)]
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	fromDriver: (value) => new Uint8Array(value)
});

/**
 * A generated PDF copy of an effective agreement: one per holder (each party, and the committee when
 * `partyId` is null) and frozen hash. Kept byte for byte, so every download is the same file and an
 * uploaded copy can be checked against `pdfSha256`; `verifyCode` is printed on it and in its QR code.
 */
export const agreementDocuments = pgTable(
	'agreement_documents',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		agreementId: bigint('agreement_id', { mode: 'number' })
			.notNull()
			.references(() => agreements.id, { onDelete: 'cascade' }),
		partyId: bigint('party_id', { mode: 'number' }).references(() => caseParties.id, { onDelete: 'cascade' }),
		/** The frozen hash the copy was made from. */
		agreementHash: varchar('agreement_hash', { length: 64 }).notNull(),
		/** 16 characters of an unambiguous alphabet (80 random bits): not guessable, easy to type. */
		verifyCode: varchar('verify_code', { length: 16 }).notNull(),
		pdf: bytea('pdf').notNull(),
		pdfSha256: varchar('pdf_sha256', { length: 64 }).notNull(),
		sizeBytes: integer('size_bytes').notNull(),
		generatedById: integer('generated_by_id').references(() => users.id, { onDelete: 'set null' }),
		generatedAt: timestamp('generated_at', { withTimezone: true }).notNull(),
		/** The certificate the copy was sealed with; null for a copy made without one (it says so on its face). */
		sealCertificateId: integer('seal_certificate_id').references(() => sealingCertificates.id, { onDelete: 'restrict' }),
		/** The trusted timestamp's time (RFC 3161 genTime) inside the seal, when a timestamp authority was configured. */
		timestampedAt: timestamp('timestamped_at', { withTimezone: true })
	},
	(t) => [
		unique('agreement_documents_code_uq').on(t.verifyCode),
		index('agreement_documents_pdf_idx').on(t.pdfSha256),
		// One copy per holder and hash (nulls not distinct: the committee's copy is one too).
		unique('agreement_documents_holder_uq').on(t.agreementId, t.partyId, t.agreementHash).nullsNotDistinct()
	]
);

/**
 * The performance (履行) of an agreed term as the office followed it up (人民调解法 art. 31): each
 * statement is a row, the latest is the term's state. Overdue is not stored: it is a pending term
 * past its due date, read against today.
 */
export const termPerformance = pgTable(
	'term_performance',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		termId: bigint('term_id', { mode: 'number' })
			.notNull()
			.references(() => agreementTerms.id, { onDelete: 'cascade' }),
		done: boolean('done').notNull(),
		/** When it was performed (a Shanghai date), for a done term. */
		doneOn: date('done_on', { mode: 'string' }),
		note: varchar('note', { length: 500 }),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull()
	},
	(t) => [index('term_performance_term_idx').on(t.termId, t.recordedAt), check('term_performance_done_dated', sql`not ${t.done} or ${t.doneOn} is not null`)]
);

export const visitMethod = pgEnum('visit_method', VISIT_METHODS);

/** A return visit (回访) to a party after the agreement, with their satisfaction ("事心双解"). */
export const returnVisits = pgTable(
	'return_visits',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		partyId: bigint('party_id', { mode: 'number' })
			.notNull()
			.references(() => caseParties.id, { onDelete: 'cascade' }),
		visitedOn: date('visited_on', { mode: 'string' }).notNull(),
		method: visitMethod('method').notNull(),
		satisfaction: smallint('satisfaction').notNull(),
		comment: varchar('comment', { length: 500 }),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull()
	},
	(t) => [index('return_visits_case_idx').on(t.caseId, t.visitedOn), check('return_visits_satisfaction_range', sql`${t.satisfaction} between 1 and 5`)]
);

export type AgreementDocument = typeof agreementDocuments.$inferSelect;
export type ReturnVisit = typeof returnVisits.$inferSelect;
export type PanelOpinion = typeof panelOpinions.$inferSelect;
export type CaseOutcome = typeof caseOutcomes.$inferSelect;
export type OutcomeResponse = typeof outcomeResponses.$inferSelect;
