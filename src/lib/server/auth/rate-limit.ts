import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { rateLimits } from '../db/schema';

/** A fixed window: at most `max` consumptions per `windowMs` for one key. */
export interface RateLimitRule {
	name: string;
	max: number;
	windowMs: number;
}

export interface RateLimiter {
	/** True when the key still has budget (does not consume). */
	check(key: string): Promise<boolean>;
	/** Uses one unit; returns whether it was within the budget. */
	consume(key: string): Promise<boolean>;
	reset(key: string): Promise<void>;
}

/**
 * Database-backed limiter: the counter lives in `rate_limits`, so it holds across restarts and
 * instances. The upsert is a single statement, so concurrent attempts cannot both read a stale count.
 */
export function dbRateLimiter(db: Db, rule: RateLimitRule): RateLimiter {
	const full = (key: string) => `${rule.name}:${key}`.slice(0, 200);
	const windowSql = sql.raw(`interval '${Math.round(rule.windowMs)} milliseconds'`);
	return {
		async check(key) {
			const [row] = await db
				.select({ count: rateLimits.count, fresh: sql<boolean>`${rateLimits.windowStart} > now() - ${windowSql}` })
				.from(rateLimits)
				.where(eq(rateLimits.key, full(key)));
			return !row || !row.fresh || row.count < rule.max;
		},
		async consume(key) {
			const [row] = await db
				.insert(rateLimits)
				.values({ key: full(key), count: 1, windowStart: sql`now()` })
				.onConflictDoUpdate({
					target: rateLimits.key,
					set: {
						count: sql`case when ${rateLimits.windowStart} > now() - ${windowSql} then ${rateLimits.count} + 1 else 1 end`,
						windowStart: sql`case when ${rateLimits.windowStart} > now() - ${windowSql} then ${rateLimits.windowStart} else now() end`
					}
				})
				.returning({ count: rateLimits.count });
			return row.count <= rule.max;
		},
		async reset(key) {
			await db.delete(rateLimits).where(eq(rateLimits.key, full(key)));
		}
	};
}

/** Login: per account and per client address (OWASP: slow down guessing without locking out by address alone). */
export const LOGIN_PER_ACCOUNT: RateLimitRule = { name: 'login-account', max: 5, windowMs: 15 * 60_000 };
export const LOGIN_PER_ADDRESS: RateLimitRule = { name: 'login-address', max: 30, windowMs: 15 * 60_000 };
