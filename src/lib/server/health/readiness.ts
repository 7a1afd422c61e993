import { sql } from 'drizzle-orm';
import type { Db } from '../db';

export interface Readiness {
	ready: boolean;
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

/** Whether this instance can serve: its database answers (and, once the app uses one, its Redis). */
export async function readiness(getDb: () => Promise<Db>, timeoutMs = 2_000): Promise<Readiness> {
	const database = await timed(async () => (await getDb()).execute(sql`select 1`), timeoutMs);
	return { ready: database.ok, checks: { database } };
}
