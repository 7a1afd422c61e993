import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { managesCounty } from '../auth/roles';
import type { Db } from '../db';
import { departments } from '../db/schema';
import { AppError } from '../errors';
import { parseInput } from '../validation';
import { countyIdOf } from './list-departments';
import { nameSchema } from './rules';

export const departmentInput = z.object({ name: nameSchema });

export interface CreateDepartmentOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/** Adds a county department. Only an admin at the county may (see `managesCounty`). */
export async function createDepartment(db: Db, actor: Viewer, raw: unknown, options: CreateDepartmentOptions = {}) {
	const { ip } = options;
	if (!managesCounty(actor)) throw new AppError('forbidden');
	const { name } = parseInput(departmentInput, raw);
	const countyId = countyIdOf(actor);
	return db.transaction(async (tx) => {
		const [dupe] = await tx
			.select({ id: departments.id })
			.from(departments)
			.where(and(eq(departments.countyId, countyId), eq(departments.name, name)))
			.limit(1);
		if (dupe) throw new AppError('conflict', { name: 'err_department_name_taken' });
		const [row] = await tx.insert(departments).values({ countyId, name }).returning({ id: departments.id });
		await recordAudit(tx, { action: 'department.create', actorId: actor.id, subjectType: 'department', subjectId: row.id, ip, data: { name, countyId } });
		return { id: row.id };
	});
}
