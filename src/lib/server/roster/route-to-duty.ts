import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { transitionCase, type TransitionResult } from '../cases/work/transition-case';
import type { Db } from '../db';
import { cases, users } from '../db/schema';
import { AppError } from '../errors';
import { idOf } from '../people/scope';
import { entriesBetween } from './load-roster';
import { countyIdOf, mayViewRoster, sittingAt } from './rules';

export interface RouteToDutyOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Routes a walk-in matter filed at the reception centre to a department sitting now, in one action.
 * The steps are the ordinary transitions (受理 when still registered, then 转办 to the department), so
 * who may do it, the state preconditions, the statutory clocks and the audit rows are theirs; this
 * only adds that the department must be on the roster for the current half-day.
 */
export async function routeToDuty(db: Db, actor: Viewer, raw: { caseId: unknown; departmentId: unknown }, options: RouteToDutyOptions = {}): Promise<TransitionResult> {
	const { ip, now = new Date() } = options;
	if (!mayViewRoster(actor)) throw new AppError('forbidden');
	const caseId = idOf(raw.caseId);
	const departmentId = typeof raw.departmentId === 'string' && /^\d{1,10}$/.test(raw.departmentId) ? Number(raw.departmentId) : raw.departmentId;
	const sitting = sittingAt(now);
	const onDuty = (await entriesBetween(db, countyIdOf(actor), sitting.date, sitting.date)).filter((e) => e.halfDay === sitting.halfDay);
	if (!onDuty.some((e) => e.departmentId === departmentId)) throw new AppError('invalid', { departmentId: 'ct_err_not_on_duty' });
	// Only walk-ins filed at the centre itself: anything else is routed from its own case page.
	const [row] = await db
		.select({ status: cases.status })
		.from(cases)
		.innerJoin(users, eq(users.id, cases.filedById))
		.where(and(eq(cases.id, caseId), eq(cases.channel, 'walk_in'), eq(users.placeId, actor.place.id)));
	if (!row) throw new AppError('not_found');
	// Both steps in one transaction (each transition's own becomes a savepoint): a refused routing
	// leaves the matter registered rather than accepted and unrouted.
	return db.transaction(async (tx) => {
		if (row.status === 'registered') await transitionCase(tx as unknown as Db, actor, caseId, { type: 'accept' }, { ip, now });
		return transitionCase(tx as unknown as Db, actor, caseId, { type: 'assign', departmentId: departmentId as number }, { ip, now });
	});
}
