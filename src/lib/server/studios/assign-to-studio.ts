import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { loadVisibleCase, originPath } from '../cases/work/case-snapshot';
import type { Db } from '../db';
import { cases, places, studios } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { idOf } from '../people/scope';
import { countyIdOf } from '../places/list-departments';
import { isOpenForStudio, mayAssignStudios, mayAssignTo } from './rules';

/** A case number as printed (2026-000123) or a bare id. */
const CASE_NUMBER = /^\d{4}-\d{6}$/;

export interface AssignToStudioOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Gives a matter to a studio, or takes it back (`studioId` empty), for a county or township supervisor
 * within their place scope: the case row, its timeline entry and the audit row in one transaction.
 * The case is looked up only among those the supervisor sees, by id or by its printed number.
 */
export async function assignToStudio(
	db: Db,
	actor: Viewer,
	raw: { caseRef: unknown; studioId: unknown }, options: AssignToStudioOptions = {}
): Promise<{ caseId: number }> {
	const { ip, now = new Date() } = options;
	if (!mayAssignStudios(actor)) throw new AppError('forbidden');
	const ref = typeof raw.caseRef === 'string' ? raw.caseRef.trim() : raw.caseRef;
	const studioId = raw.studioId === '' || raw.studioId == null ? null : idOf(raw.studioId);
	return db.transaction(async (tx) => {
		let caseId: unknown = ref;
		if (typeof ref === 'string' && CASE_NUMBER.test(ref)) {
			const [byNumber] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.number, ref)).limit(1);
			if (!byNumber) throw new AppError('invalid', { caseRef: 'sd_err_case_not_found' });
			caseId = byNumber.id;
		}
		const row = await loadVisibleCase(tx, actor, caseId).catch((err: unknown) => {
			if (err instanceof AppError && err.code === 'not_found') throw new AppError('invalid', { caseRef: 'sd_err_case_not_found' });
			throw err;
		});
		const [locked] = await tx.select({ studioId: cases.studioId, status: cases.status }).from(cases).where(eq(cases.id, row.id)).for('update');
		if (!isOpenForStudio(locked.status)) throw new AppError('conflict', { caseRef: 'sd_err_case_closed' });
		if (locked.studioId === studioId) throw new AppError('conflict', { caseRef: 'sd_err_already' });
		let studioName: string | null = null;
		const [previous] = locked.studioId === null ? [] : await tx.select({ name: studios.name }).from(studios).where(eq(studios.id, locked.studioId));
		if (studioId !== null) {
			const [studio] = await tx
				.select({ name: studios.name, placePath: places.path })
				.from(studios)
				.innerJoin(places, eq(places.id, studios.placeId))
				.where(and(eq(studios.id, studioId), eq(studios.countyId, countyIdOf(actor))));
			if (!studio) throw new AppError('not_found');
			if (!mayAssignTo(actor, originPath(row), studio.placePath)) throw new AppError('forbidden');
			studioName = studio.name;
		} else if (!mayAssignTo(actor, originPath(row), originPath(row))) {
			throw new AppError('forbidden');
		}
		await tx
			.update(cases)
			.set({ studioId, studioAssignedAt: studioId === null ? null : now })
			.where(eq(cases.id, row.id));
		// The studio's name is the entry's note, so the timeline reads "交给调解工作室 · 徐云峰…工作室".
		await recordCaseActivity(tx, row.id, actor.id, now, [
			studioId === null
				? { kind: 'studio_withdraw', note: previous?.name ?? null, data: { studioId: locked.studioId } }
				: { kind: 'studio_assign', note: studioName, data: { studioId, fromStudioId: locked.studioId } }
		]);
		await recordAudit(tx, {
			action: 'studio.assign',
			actorId: actor.id,
			subjectType: 'case',
			subjectId: row.id,
			ip,
			data: { caseId: row.id, studioId, fromStudioId: locked.studioId }
		});
		return { caseId: row.id };
	});
}
