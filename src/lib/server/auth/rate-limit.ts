import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { rateLimits } from '../db/schema';
import { AppError } from '../errors';

/** A fixed window: at most `max` consumptions per `windowMs` for one key. */
export interface RateLimitRule {
	name: string;
	max: number;
	windowMs: number;
}

/** One counted attempt: whether it was within the budget, and when the key may try again if not. */
export interface LimitResult {
	ok: boolean;
	/** Milliseconds until the window ends (0 when `ok`). */
	retryAfterMs: number;
}

/**
 * The pattern every caller follows: take (count the attempt first, atomically) → cheap validation →
 * the expensive or secret check → refund or reset on success. Counting first is what makes the limit
 * hold under concurrency: a hundred parallel requests get counts 1…100, and only the first `max` go on.
 */
export interface RateLimiter {
	/** Counts one attempt and says whether it was within the budget. */
	take(key: string): Promise<LimitResult>;
	/** `take` without the retry time. */
	consume(key: string): Promise<boolean>;
	/** True when the key still has budget (does not count). Only for callers that count afterwards on purpose. */
	check(key: string): Promise<boolean>;
	/** Gives back one attempt (a success should not use up an honest person's budget). */
	refund(key: string): Promise<void>;
	reset(key: string): Promise<void>;
}

/**
 * Database-backed limiter: the counter lives in `rate_limits`, so it holds across restarts and
 * instances, on PGlite and PostgreSQL alike. `take` is one upsert statement that both counts and
 * answers, so concurrent attempts cannot both read a stale count (PostgreSQL serialises the row's
 * update on conflict). A hand-written counter rather than rate-limiter-flexible: this single statement
 * is all it would run for us, and it needs no second client for PGlite.
 */
export function dbRateLimiter(db: Db | Tx, rule: RateLimitRule): RateLimiter {
	const full = (key: string) => `${rule.name}:${key}`.slice(0, 200);
	const windowSql = sql.raw(`interval '${Math.round(rule.windowMs)} milliseconds'`);
	const fresh = sql`${rateLimits.windowStart} > now() - ${windowSql}`;
	const take = async (key: string): Promise<LimitResult> => {
		const [row] = await db
			.insert(rateLimits)
			.values({ key: full(key), count: 1, windowStart: sql`now()` })
			.onConflictDoUpdate({
				target: rateLimits.key,
				set: {
					count: sql`case when ${fresh} then ${rateLimits.count} + 1 else 1 end`,
					windowStart: sql`case when ${fresh} then ${rateLimits.windowStart} else now() end`
				}
			})
			.returning({
				count: rateLimits.count,
				retryAfterMs: sql<string | number>`greatest(0, extract(epoch from (${rateLimits.windowStart} + ${windowSql} - now())) * 1000)`
			});
		const ok = row.count <= rule.max;
		return { ok, retryAfterMs: ok ? 0 : Math.ceil(Number(row.retryAfterMs)) };
	};
	return {
		take,
		consume: async (key) => (await take(key)).ok,
		async check(key) {
			const [row] = await db
				.select({ count: rateLimits.count, fresh: sql<boolean>`${fresh}` })
				.from(rateLimits)
				.where(eq(rateLimits.key, full(key)));
			return !row || !row.fresh || row.count < rule.max;
		},
		async refund(key) {
			await db
				.update(rateLimits)
				.set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
				.where(and(eq(rateLimits.key, full(key)), gt(rateLimits.windowStart, sql`now() - ${windowSql}`)));
		},
		async reset(key) {
			await db.delete(rateLimits).where(eq(rateLimits.key, full(key)));
		}
	};
}

/** A refusal by a rate limit, carrying when the caller may try again (for "请 12 分钟后再试"). */
export class RateLimitedError extends AppError {
	readonly retryAfterMs: number;
	constructor(retryAfterMs: number, fields: Record<string, string> = {}) {
		super('rate_limited', fields);
		this.retryAfterMs = retryAfterMs;
	}
}

/** Whole minutes to wait, rounded up and at least 1, for the messages; null when unknown. */
export function retryMinutes(err: unknown): number | null {
	return err instanceof RateLimitedError ? Math.max(1, Math.ceil(err.retryAfterMs / 60_000)) : null;
}

/**
 * Takes one attempt from each limiter in order and throws at the first refusal, so a key that is
 * already over its budget does not spend the later ones (an attacker's address does not eat the
 * account-wide budget). Returns a function that refunds what was taken.
 */
export async function takeAll(steps: [RateLimiter, string][], fields: Record<string, string> = {}): Promise<() => Promise<void>> {
	const taken: [RateLimiter, string][] = [];
	for (const [limiter, key] of steps) {
		const result = await limiter.take(key);
		if (!result.ok) throw new RateLimitedError(result.retryAfterMs, fields);
		taken.push([limiter, key]);
	}
	return async () => {
		for (const [limiter, key] of taken) await limiter.refund(key);
	};
}

/**
 * Login, after OWASP ASVS 2.2.1 (soft lockout): the tight budget is per account AND address, so a
 * stranger's guesses lock only the stranger out; an account-wide budget, much larger, stops guessing
 * one account from many addresses; the per-address budget stops one address trying many accounts.
 */
export const LOGIN_PER_ACCOUNT_ADDRESS: RateLimitRule = { name: 'login-account-address', max: 5, windowMs: 15 * 60_000 };
export const LOGIN_PER_ACCOUNT: RateLimitRule = { name: 'login-account', max: 50, windowMs: 60 * 60_000 };
export const LOGIN_PER_ADDRESS: RateLimitRule = { name: 'login-address', max: 30, windowMs: 15 * 60_000 };
