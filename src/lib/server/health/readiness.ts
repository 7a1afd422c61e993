import { sql } from 'drizzle-orm';
import type { RelayStatus } from '../collab/api';
import type { Db } from '../db';

export interface Readiness {
	ready: boolean;
	/** `degraded`: serving, but live records are not shared with other instances (Redis down). */
	status: 'ready' | 'degraded' | 'unavailable';
	checks: Record<string, { ok: boolean; ms: number; error?: string }>;
}

/** A check that fails when it does not answer within `timeoutMs` (a hung database is not a ready one). */
async function timed(run: () => Promise<unknown>, timeoutMs: number): Promise<{ ok: boolean; ms: number; error?: string }> {
	const start = performance.now();
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			run(),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
			})
		]);
		return { ok: true, ms: Math.round(performance.now() - start) };
	} catch (err) {
		return { ok: false, ms: Math.round(performance.now() - start), error: err instanceof Error ? err.message : String(err) };
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Whether this instance can serve: its database answers, and, with several instances, whether their
 * Redis answers. Without Redis an instance still serves its own clients (the records' live sharing
 * with other instances resumes when it is back), so a Redis outage is reported as `degraded` with
 * status 200: failing readiness on every instance at once would take the whole service down.
 */
export async function readiness(getDb: () => Promise<Db>, options: { relay?: RelayStatus | null; timeoutMs?: number } = {}): Promise<Readiness> {
	const timeoutMs = options.timeoutMs ?? 2_000;
	const relay = options.relay;
	const [database, redis] = await Promise.all([
		timed(async () => (await getDb()).execute(sql`select 1`), timeoutMs),
		relay ? timed(() => relay.check(timeoutMs), timeoutMs) : null
	]);
	const checks: Readiness['checks'] = { database };
	if (redis) checks.redis = redis;
	const status = !database.ok ? 'unavailable' : redis && !redis.ok ? 'degraded' : 'ready';
	return { ready: database.ok, status, checks };
}
