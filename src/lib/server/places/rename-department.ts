import { and, eq, ne } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { managesCounty } from '../auth/roles';
import type { Db } from '../db';
import { departments } from '../db/schema';
import { AppError } from '../errors';
import { idOf, parseInput } from '../validation';
import { departmentInput } from './create-department';
import { countyIdOf } from './list-departments';

export interface RenameDepartmentOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Renames a department of the actor's county; only an admin at the county may. */
export async function renameDepartment(db: Db, actor: Viewer, raw: unknown, options: RenameDepartmentOptions = {}) {
	const { ip } = options;
	if (!managesCounty(actor)) throw new AppError('forbidden');
	const id = idOf(raw);
	const { name } = parseInput(departmentInput, raw);
	const countyId = countyIdOf(actor);
	await db.transaction(async (tx) => {
		const [dept] = await tx
			.select({ name: departments.name })
			.from(departments)
			.where(and(eq(departments.id, id), eq(departments.countyId, countyId)))
			.for('update')
			.limit(1);
		if (!dept) throw new AppError('not_found');
		if (dept.name === name) return;
		const [dupe] = await tx
			.select({ id: departments.id })
			.from(departments)
			.where(and(eq(departments.countyId, countyId), eq(departments.name, name), ne(departments.id, id)))
			.limit(1);
		if (dupe) throw new AppError('conflict', { name: 'err_department_name_taken' });
		await tx.update(departments).set({ name }).where(eq(departments.id, id));
		await recordAudit(tx, { action: 'department.update', actorId: actor.id, subjectType: 'department', subjectId: id, ip, data: { name, previousName: dept.name } });
	});
}
