import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { caseEvents, cases, departments, matterClusterCases, matterClusters, places } from '../db/schema';
import { AppError } from '../errors';
import { countyIdOf } from '../places/list-departments';
import { freeText, formId, parseInput } from '../validation';
import { resolveStatsArea } from './area';

export const confirmClusterInput = z.object({
	caseIds: z.array(formId).min(2, 'err_required').max(400, 'err_invalid'),
	title: freeText(100),
	note: freeText(1000),
	departmentId: formId,
	terms: z.string().max(200).default('')
});

export interface ConfirmClusterOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A supervisor confirms a cluster of alike matters as one issue ("一类事") and names the county
 * department to fix its cause. Every matter must arise in the supervisor's area, share one category
 * and one place, and not already belong to a confirmed issue. The issue, a staff-only timeline entry on
 * each matter and the audit row commit together.
 */
export async function confirmCluster(db: Db, actor: Viewer, raw: unknown, options: ConfirmClusterOptions = {}): Promise<{ id: number }> {
	const { ip, now = new Date() } = options;
	const area = await resolveStatsArea(db, actor, null);
	const input = parseInput(confirmClusterInput, raw);
	const caseIds = [...new Set(input.caseIds)];

	return db.transaction(async (tx) => {
		const members = await tx
			.select({
				id: cases.id,
				categoryId: cases.categoryId,
				placeId: sql<number>`coalesce(${cases.villageId}, ${cases.townshipId}, ${cases.countyId})`.mapWith(Number)
			})
			.from(cases)
			.where(and(area.condition, inArray(cases.id, caseIds)))
			.for('update');
		if (members.length !== caseIds.length) throw new AppError('not_found');
		const categoryIds = new Set(members.map((m) => m.categoryId));
		const placeIds = new Set(members.map((m) => m.placeId));
		if (categoryIds.size !== 1 || placeIds.size !== 1) throw new AppError('invalid', { _: 'stats_err_cluster_mixed' });

		const [department] = await tx
			.select({ id: departments.id })
			.from(departments)
			.where(and(eq(departments.id, input.departmentId), eq(departments.countyId, countyIdOf(actor))));
		if (!department) throw new AppError('invalid', { departmentId: 'stats_err_department' });

		const taken = await tx.select({ caseId: matterClusterCases.caseId }).from(matterClusterCases).where(inArray(matterClusterCases.caseId, caseIds)).limit(1);
		if (taken.length) throw new AppError('conflict', { _: 'stats_err_cluster_taken' });

		const [placeId] = placeIds;
		const [categoryId] = categoryIds;
		const [place] = await tx.select({ path: places.path }).from(places).where(eq(places.id, placeId));
		const [cluster] = await tx
			.insert(matterClusters)
			.values({
				placeId,
				placePath: place.path,
				categoryId,
				title: input.title,
				note: input.note,
				departmentId: department.id,
				terms: input.terms.slice(0, 200),
				size: caseIds.length,
				confirmedById: actor.id,
				confirmedAt: now
			})
			.returning({ id: matterClusters.id });
		await tx.insert(matterClusterCases).values(caseIds.map((caseId) => ({ clusterId: cluster.id, caseId })));
		await tx.insert(caseEvents).values(
			caseIds.map((caseId) => ({
				caseId,
				at: now,
				actorId: actor.id,
				kind: 'cluster_confirm' as const,
				note: input.title,
				data: { clusterId: cluster.id, departmentId: department.id },
				public: false
			}))
		);
		await recordAudit(tx, {
			action: 'stats.cluster_confirm',
			actorId: actor.id,
			subjectType: 'matter_cluster',
			subjectId: cluster.id,
			ip,
			data: { caseIds, departmentId: department.id, placeId, categoryId }
		});
		return { id: cluster.id };
	});
}
