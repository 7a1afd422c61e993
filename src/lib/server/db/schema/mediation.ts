import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	customType,
	index,
	integer,
	pgEnum,
	pgTable,
	smallint,
	text,
	timestamp,
	unique,
	varchar
} from 'drizzle-orm/pg-core';
import { CONFLICT_DECLARATIONS, SESSION_OPENNESS, SESSION_STATUSES } from '../../../enums';
import { cases } from './cases';
import { panelistType, users } from './people';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	fromDriver: (value) => new Uint8Array(value)
});

/** What a panel member declared about conflicts of interest before sitting. */
export const conflictDeclaration = pgEnum('conflict_declaration', CONFLICT_DECLARATIONS);

/**
 * A member of a case's "大家来评理" panel. 人民调解法 art. 20: the mediator may invite people with the
 * parties' consent, so the consent is recorded per invitee. A member sees the case even outside
 * their own place, and co-edits the record while on the panel and not recused.
 */
export const panelMembers = pgTable(
	'panel_members',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		/** The member's kind on this panel (a lawyer may sit as a lawyer; a villager as 法律明白人). */
		memberType: varchar('member_type', { length: 30 }).notNull(),
		invitedById: integer('invited_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		invitedAt: timestamp('invited_at', { withTimezone: true }).notNull(),
		/** How the parties consented to this invitee (art. 20), e.g. "双方当事人当面口头同意". */
		partiesConsent: varchar('parties_consent', { length: 300 }).notNull(),
		conflict: conflictDeclaration('conflict').notNull().default('pending'),
		conflictNote: varchar('conflict_note', { length: 500 }),
		declaredAt: timestamp('declared_at', { withTimezone: true }),
		removedAt: timestamp('removed_at', { withTimezone: true }),
		removedReason: varchar('removed_reason', { length: 300 })
	},
	(t) => [index('panel_members_case_idx').on(t.caseId), index('panel_members_user_idx').on(t.userId), unique('panel_members_case_user_uq').on(t.caseId, t.userId)]
);

/** The parties' choice or acceptance of the mediator (art. 23), one row per party's statement. */
export const mediatorAcceptances = pgTable(
	'mediator_acceptances',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		partyId: bigint('party_id', { mode: 'number' }).notNull(),
		mediatorId: integer('mediator_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		accepted: boolean('accepted').notNull(),
		note: varchar('note', { length: 300 }),
		recordedById: integer('recorded_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull()
	},
	(t) => [index('mediator_acceptances_case_idx').on(t.caseId)]
);

export const sessionStatus = pgEnum('session_status', SESSION_STATUSES);
export const sessionOpenness = pgEnum('session_openness', SESSION_OPENNESS);

/** A mediation session (调解会/评理会) of a case; its record is the collaborative document `record:<id>`. */
export const mediationSessions = pgTable(
	'mediation_sessions',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: bigint('case_id', { mode: 'number' })
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		seq: smallint('seq').notNull(),
		scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
		/** Where it is held; null when fully remote. */
		location: varchar('location', { length: 200 }),
		remote: boolean('remote').notNull().default(false),
		openness: sessionOpenness('openness').notNull().default('closed'),
		status: sessionStatus('status').notNull().default('scheduled'),
		startedAt: timestamp('started_at', { withTimezone: true }),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		createdById: integer('created_by_id')
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('mediation_sessions_case_seq_uq').on(t.caseId, t.seq), check('mediation_sessions_where', sql`${t.remote} or ${t.location} is not null`)]
);

/** Who attended a session, recorded when they join (in the room or remotely). */
export const sessionAttendance = pgTable(
	'session_attendance',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		sessionId: bigint('session_id', { mode: 'number' })
			.notNull()
			.references(() => mediationSessions.id, { onDelete: 'cascade' }),
		userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
		/** For people without an account (e.g. a relative in the room). */
		name: varchar('name', { length: 60 }).notNull(),
		capacity: varchar('capacity', { length: 30 }).notNull(),
		remote: boolean('remote').notNull(),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull()
	},
	(t) => [index('session_attendance_session_idx').on(t.sessionId), unique('session_attendance_user_uq').on(t.sessionId, t.userId)]
);

/**
 * A named version of a collaborative document ("第一次调解结束"), a full Yjs state snapshot. Restoring
 * one applies its content as a new edit; versions are never rewritten.
 */
export const documentVersions = pgTable(
	'document_versions',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		docName: varchar('doc_name', { length: 120 }).notNull(),
		name: varchar('name', { length: 100 }).notNull(),
		automatic: boolean('automatic').notNull().default(false),
		state: bytea('state').notNull(),
		createdById: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		note: text('note')
	},
	(t) => [index('document_versions_doc_idx').on(t.docName, t.createdAt)]
);

export type PanelMember = typeof panelMembers.$inferSelect;
export type MediationSession = typeof mediationSessions.$inferSelect;
export type DocumentVersion = typeof documentVersions.$inferSelect;
// Panel member types are the panelist types plus the two standing legal roles.
export const PANEL_MEMBER_TYPES = [...panelistType.enumValues, 'legal_advisor', 'legal_villager'] as const;
