import { relations, sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgEnum, pgTable, text, timestamp, unique, varchar } from 'drizzle-orm/pg-core';
import { caseParties, cases } from './cases';
import { panelMembers } from './mediation';
import { users } from './people';

/** A panelist's position on the dispute (评理意见). */
export const opinionPosition = pgEnum('opinion_position', ['supports_applicant', 'supports_respondent', 'compromise', 'abstains']);

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
export const outcomeKind = pgEnum('outcome_kind', ['written_agreement', 'oral_agreement', 'partial_agreement', 'failure']);
/** The county's "三个一批" reporting class: resolved, relieved with aid, explained. */
export const outcomeClass = pgEnum('outcome_class', ['claim_resolved', 'hardship_aided', 'policy_explained']);
/** 信访工作条例 art. 32: the decision supports, explains, or does not support the claim. */
export const petitionDecision = pgEnum('petition_decision', ['supported', 'explained', 'not_supported']);
/** What the case did next: concluded with the reply, or (a failure) referred to the next level. */
export const outcomeNext = pgEnum('outcome_next', ['concluded', 'escalated']);

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

export const panelOpinionsRelations = relations(panelOpinions, ({ one }) => ({
	case: one(cases, { fields: [panelOpinions.caseId], references: [cases.id] }),
	member: one(panelMembers, { fields: [panelOpinions.memberId], references: [panelMembers.id] })
}));
export const caseOutcomesRelations = relations(caseOutcomes, ({ one, many }) => ({
	case: one(cases, { fields: [caseOutcomes.caseId], references: [cases.id] }),
	responses: many(outcomeResponses)
}));
export const outcomeResponsesRelations = relations(outcomeResponses, ({ one }) => ({
	outcome: one(caseOutcomes, { fields: [outcomeResponses.outcomeId], references: [caseOutcomes.id] })
}));

export type PanelOpinion = typeof panelOpinions.$inferSelect;
export type CaseOutcome = typeof caseOutcomes.$inferSelect;
export type OutcomeResponse = typeof outcomeResponses.$inferSelect;
