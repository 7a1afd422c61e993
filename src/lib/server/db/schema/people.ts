import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	varchar
} from 'drizzle-orm/pg-core';
import { PANELIST_TYPES, ROLE_NAMES, type PanelistType, type RoleName } from '../../../enums';
import { departments, places } from './places';

export const roleName = pgEnum('role_name', ROLE_NAMES);
export type { RoleName };

/** The kinds of third party a "大家来评理" panel draws on (see shared/domain.md). */
export const panelistType = pgEnum('panelist_type', PANELIST_TYPES);
export type { PanelistType };

/**
 * A person who can sign in. Staff are attached to one place and see that place and below; a
 * department member also sees what is routed to the department.
 */
export const users = pgTable(
	'users',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		username: varchar('username', { length: 32 }).unique('users_username_uq'),
		phone: varchar('phone', { length: 11 }).unique('users_phone_uq'),
		name: varchar('name', { length: 40 }).notNull(),
		passwordHash: text('password_hash').notNull(),
		placeId: integer('place_id')
			.notNull()
			.references(() => places.id, { onDelete: 'restrict' }),
		departmentId: integer('department_id').references(() => departments.id, { onDelete: 'set null' }),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		/** When the holder last proved `phone` with a text code (a party's phone sign-in); null if never. */
		phoneVerifiedAt: timestamp('phone_verified_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('users_place_idx').on(t.placeId),
		check('users_login_present', sql`${t.username} is not null or ${t.phone} is not null`)
	]
);

export const userRoles = pgTable(
	'user_roles',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: roleName('role').notNull(),
		/** Only for `panelist`: which kind of third party this person is. */
		panelistType: panelistType('panelist_type')
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.role] }),
		check(
			'user_roles_panelist_type',
			sql`(${t.role} = 'panelist') = (${t.panelistType} is not null)`
		)
	]
);

export type User = typeof users.$inferSelect;
export type UserRole = typeof userRoles.$inferSelect;
