import { desc, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { dbRateLimiter, type RateLimitRule } from '../auth/rate-limit';
import { hasRole } from '../auth/guards';
import type { Db } from '../db';
import { auditLog, retentionPolicies, users } from '../db/schema';
import { AppError } from '../errors';
import { adminArea } from './admin-area';
import { applyRetention, planRetention, type RetentionItem, type RetentionType } from './retention';

/**
 * Retention from the admin page (issue 17 §4): what `npm run retention` would mask in the
 * administrator's own area, when it last ran, and running it there with a confirmation. The policy
 * itself stays the county's (`npm run retention -- --set`); the page shows it, and changes nothing else.
 */

/** A run reads and rewrites many rows: a few a day are all a county needs. */
export const RETENTION_RUNS_PER_ADMIN: RateLimitRule = { name: 'retention-run', max: 5, windowMs: 60 * 60_000 };

export interface RetentionOverview {
	policies: { recordType: RetentionType; years: number; updatedAt: Date }[];
	/** What a run now would mask in the administrator's area, per policy. */
	due: RetentionItem[];
	/** The last run anywhere (the command line covers every area), or null when none has run. */
	lastRun: { at: Date; by: string | null; cases: number; parties: number; ownArea: boolean } | null;
}

function requireAdmin(viewer: Viewer): void {
	if (!hasRole(viewer, 'admin')) throw new AppError('forbidden');
}

export interface RetentionOverviewOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

export async function retentionOverview(db: Db, viewer: Viewer, options: RetentionOverviewOptions = {}): Promise<RetentionOverview> {
	const { now = new Date() } = options;
	requireAdmin(viewer);
	const policies = await db
		.select({ recordType: retentionPolicies.recordType, years: retentionPolicies.years, updatedAt: retentionPolicies.updatedAt })
		.from(retentionPolicies)
		.orderBy(retentionPolicies.recordType);
	const due = await planRetention(db, { now, area: adminArea(viewer) });
	const [last] = await db
		.select({ at: auditLog.at, by: users.name, data: auditLog.data })
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(eq(auditLog.action, 'retention.run'))
		.orderBy(desc(auditLog.id))
		.limit(1);
	const data = last?.data as { cases?: number; parties?: number; placeId?: number } | undefined;
	return {
		policies: policies as RetentionOverview['policies'],
		due,
		lastRun: last
			? { at: last.at, by: last.by, cases: data?.cases ?? 0, parties: data?.parties ?? 0, ownArea: data?.placeId === undefined || data.placeId === viewer.place.id }
			: null
	};
}

export interface RunRetentionInAreaOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Masks what is due in the administrator's area now: one transaction per policy with its audit row
 * (who, from where, which area, the counts). The caller has checked the confirmation box.
 */
export async function runRetentionInArea(db: Db, viewer: Viewer, ip: string, options: RunRetentionInAreaOptions = {}): Promise<{ cases: number; parties: number }> {
	const { now = new Date() } = options;
	requireAdmin(viewer);
	if (!(await dbRateLimiter(db, RETENTION_RUNS_PER_ADMIN).consume(String(viewer.id)))) throw new AppError('rate_limited', { _: 'rt_err_limited' });
	const done = await applyRetention(db, { now, scope: { area: adminArea(viewer), placeId: viewer.place.id, actorId: viewer.id, ip } });
	return { cases: done.reduce((n, i) => n + i.cases, 0), parties: done.reduce((n, i) => n + i.parties, 0) };
}
