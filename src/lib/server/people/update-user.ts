import { eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { userRoles, users } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { assertLoginFree, rethrowLoginTaken } from './create-user';
import { assertDepartmentOfCounty, placeForPerson } from './placement';
import { managesCounty, personSchema } from './rules';
import { assertAdmin, idOf, lockUserInScope } from './scope';

/** How a set of roles reads for comparison: sorted, with the panelist type attached. */
const roleKey = (roles: { role: string; panelistType: string | null }[]) =>
	roles
		.map((r) => `${r.role}:${r.panelistType ?? ''}`)
		.sort()
		.join(',');

export interface UpdateUserOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * Changes a person's name, logins, place, department and roles. The person must be in the actor's
 * subtree and so must the new place: an admin can neither reach out of their area nor move someone
 * (themselves included) out of it. An admin cannot drop their own admin role, so an area is never
 * left without anyone able to undo the change. Returns the names of the fields that changed.
 */
export async function updateUser(db: Db, actor: Viewer, raw: unknown, options: UpdateUserOptions = {}) {
	const { ip } = options;
	assertAdmin(actor);
	const id = idOf(raw);
	const input = parseInput(personSchema, raw);
	if (id === actor.id && !input.roles.includes('admin')) throw new AppError('invalid', { roles: 'err_admin_self_role' });
	const roles = input.roles.map((role) => ({ role, panelistType: role === 'panelist' ? input.panelistType : null }));

	return db.transaction(async (tx) => {
		const current = await lockUserInScope(tx, actor, id);
		const place = await placeForPerson(tx, actor, input.placeId);
		if (input.departmentId !== current.departmentId) {
			if (!managesCounty(actor)) throw new AppError('invalid', { departmentId: 'err_admin_department_county_only' });
			if (input.departmentId != null) await assertDepartmentOfCounty(tx, input.departmentId, place);
		}
		await assertLoginFree(tx, input.username, input.phone, id);

		const currentRoles = await tx
			.select({ role: userRoles.role, panelistType: userRoles.panelistType })
			.from(userRoles)
			.where(eq(userRoles.userId, id));
		const changed = (['name', 'username', 'phone', 'placeId', 'departmentId'] as const).filter((k) => input[k] !== current[k]) as string[];
		const rolesChanged = roleKey(roles) !== roleKey(currentRoles);
		if (rolesChanged) changed.push('roles');
		if (changed.length === 0) return { changed };

		await tx
			.update(users)
			.set({
				name: input.name,
				username: input.username,
				phone: input.phone,
				placeId: input.placeId,
				departmentId: input.departmentId
			})
			.where(eq(users.id, id));
		if (rolesChanged) {
			await tx.delete(userRoles).where(eq(userRoles.userId, id));
			await tx.insert(userRoles).values(roles.map((r) => ({ userId: id, ...r })));
		}
		await recordAudit(tx, { action: 'user.update', actorId: actor.id, subjectType: 'user', subjectId: id, ip, data: { changed } });
		return { changed };
	}).catch(rethrowLoginTaken);
}
