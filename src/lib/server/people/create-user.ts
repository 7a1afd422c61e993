import { eq, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { hashPassword } from '../auth/password';
import type { Db, Tx } from '../db';
import { userRoles, users } from '../db/schema';
import { AppError } from '../errors';
import { uniqueViolation } from '../db/unique-violation';
import { parseInput } from '../validation';
import { assertDepartmentOfCounty, placeForPerson } from './placement';
import { managesCounty, passwordSchema, personSchema } from './rules';

export const createUserInput = z.intersection(personSchema, z.object({ password: passwordSchema }));

export interface CreateUserOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * Adds a person at a place the actor may manage (`actor: null` is setup code such as the seed).
 * Uniqueness of username and phone is checked first for a friendly message and enforced again by
 * the unique indexes inside the transaction.
 */
export async function createUser(db: Db | Tx, actor: Viewer | null, raw: unknown, options: CreateUserOptions = {}) {
	const { ip } = options;
	const input = parseInput(createUserInput, raw);
	const passwordHash = await hashPassword(input.password);
	return db
		.transaction(async (tx) => {
		const place = await placeForPerson(tx, actor, input.placeId);
		if (input.departmentId != null) {
			if (actor && !managesCounty(actor)) throw new AppError('invalid', { departmentId: 'err_admin_department_county_only' });
			await assertDepartmentOfCounty(tx, input.departmentId, place);
		}
		await assertLoginFree(tx, input.username, input.phone);
		const [row] = await tx
			.insert(users)
			.values({
				name: input.name,
				username: input.username,
				phone: input.phone,
				passwordHash,
				placeId: input.placeId,
				departmentId: input.departmentId
			})
			.returning({ id: users.id });
		await tx.insert(userRoles).values(
			input.roles.map((role) => ({ userId: row.id, role, panelistType: role === 'panelist' ? input.panelistType : null }))
		);
		await recordAudit(tx, {
			action: 'user.create',
			actorId: actor?.id ?? null,
			subjectType: 'user',
			subjectId: row.id,
			ip,
			data: { name: input.name, placeId: input.placeId, roles: input.roles }
		});
		return { id: row.id };
	})
		.catch(rethrowLoginTaken);
}

/**
 * Two admins taking the same username or phone at the same moment both pass the friendly check;
 * the unique index stops the second, and this turns that into the same field error.
 */
export function rethrowLoginTaken(err: unknown): never {
	const constraint = uniqueViolation(err);
	if (constraint === 'users_username_uq') throw new AppError('conflict', { username: 'err_username_taken' });
	if (constraint === 'users_phone_uq') throw new AppError('conflict', { phone: 'err_phone_taken' });
	throw err;
}

/** Throws a field error when a username or phone already belongs to someone else. */
export async function assertLoginFree(tx: Db | Tx, username: string | null, phone: string | null, exceptUserId?: number) {
	if (!username && !phone) return;
	const taken = await tx
		.select({ id: users.id, username: users.username, phone: users.phone })
		.from(users)
		.where(or(username ? eq(users.username, username) : undefined, phone ? eq(users.phone, phone) : undefined));
	const fields: Record<string, string> = {};
	for (const t of taken) {
		if (t.id === exceptUserId) continue;
		if (username && t.username === username) fields.username = 'err_username_taken';
		if (phone && t.phone === phone) fields.phone = 'err_phone_taken';
	}
	if (Object.keys(fields).length) throw new AppError('conflict', fields);
}
