/** Shared by the database benchmarks (bench:cases, bench:stats): the demo viewers and timing a query. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { loadViewer } from '../../src/lib/server/people/load-viewer';
import type { Viewer } from '../../src/lib/types';

/** A demo account as the app sees it signed in. */
export async function demoViewer(db: Db, username: string): Promise<Viewer> {
	const [u] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
	const v = u && (await loadViewer(db, u.id));
	if (!v) throw new Error(`the demo account ${username} is missing (seed the demo county first)`);
	return v;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
export const round = (n: number) => Math.round(n * 10) / 10;

/** Runs `run` `runs` times one after another; p50 and p95 in ms (unrounded). */
/** What a timed run hands back when its answer is in but some of its work is still going. */
export class Settle {
	constructor(readonly pending: Promise<unknown>) {}
}

export async function timeQuery(run: () => unknown, runs: number): Promise<{ p50: number; p95: number }> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		const result = await run();
		times.push(performance.now() - start);
		// Work the answer left running (a streamed count) ends before the next run, untimed.
		if (result instanceof Settle) await result.pending;
	}
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/**
 * The process's peak resident memory so far, in MiB: the bench does in one process what the server does
 * for these pages (the same use cases, the same database client), so this is what serving them holds.
 */
export function peakRssMib(): number {
	return Math.round(process.resourceUsage().maxRSS / 1024);
}
