/**
 * Our collaboration server alone, for `npm run bench:collab` and `npm run soak`: the real
 * attach/persistence code on an embedded database (in memory, or on disk in BENCH_DATA_DIR) or on
 * BENCH_DATABASE_URL, relayed to other instances through Redis when REDIS_URL is set (channels under
 * BENCH_RELAY_PREFIX), with authentication replaced by "everyone may write, as the user in the URL
 * (id, name, colour, role)" because the benchmarks measure the document path, not sign-in (presence
 * is still attested: every awareness frame is checked against that user). Prints `PORT <n>`, and `STATS {json}` (documents
 * loaded, connections, memory, event-loop delay, log events counted) every BENCH_STATS_MS ms if set,
 * and on SIGUSR2 after a full garbage collection when run with --expose-gc.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { attachCollab } from '../../src/lib/server/collab/attach';
import { postgresStore } from '../../src/lib/server/collab/persistence';
import { redisRelay } from '../../src/lib/server/collab/redis-relay';
import { openDatabase } from '../../src/lib/server/db/client';

const database = await openDatabase({ url: process.env.BENCH_DATABASE_URL, dataDir: process.env.BENCH_DATA_DIR || 'memory://' });
await database.migrate(resolve(import.meta.dirname, '../../drizzle'));
const server = createServer((_req, res) => res.writeHead(404).end());
const events: Record<string, number> = {};
// BENCH_DEBUG=1 also prints each event with its detail (e.g. why presence was dropped).
const count = (event: string, detail?: unknown) => {
	if (process.env.BENCH_DEBUG) console.error(event, JSON.stringify(detail));
	events[event] = (events[event] ?? 0) + 1;
};
let n = 0;
const collab = attachCollab(server, {
	store: postgresStore(database.db),
	checkOrigin: () => true,
	authenticate: async (req) => {
		// Attested as a record editor is (id, name, colour, role), so presence frames are of real size.
		const q = new URL(req.url ?? '/', 'http://bench').searchParams;
		const identity = { id: Number(q.get('id') ?? 0), name: q.get('name') ?? 'observer', color: q.get('color') ?? '#5c5c66', role: q.get('role') ?? 'observer' };
		return { userId: ++n, sessionId: `bench-${n}`, access: 'write', identity };
	},
	revalidate: async (items) => items.map(() => true),
	// Every budget as in production; only the per-address cap is lifted, since the bench's 200 editors
	// stand in for 200 devices but all connect from 127.0.0.1.
	limits: { maxConnectionsPerAddress: 10_000 },
	log: count,
	relay: process.env.REDIS_URL ? redisRelay({ url: process.env.REDIS_URL, prefix: process.env.BENCH_RELAY_PREFIX || undefined, log: count }) : undefined
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as AddressInfo).port}`));

const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
// How long the event loop was held up (by a compaction, a load, a GC) since the previous STATS line.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
function printStats(requested: boolean, gc: boolean): void {
	const memory = process.memoryUsage();
	const loop = { loop_delay_p99_ms: Math.round(loopDelay.percentile(99) / 1e5) / 10, loop_delay_max_ms: Math.round(loopDelay.max / 1e5) / 10 };
	loopDelay.reset();
	const stats = { ...collab.stats(), rss_mb: mb(memory.rss), heap_used_mb: mb(memory.heapUsed), ...loop, events, requested, gc };
	console.log(`STATS ${JSON.stringify(stats)}`);
}
const every = Number(process.env.BENCH_STATS_MS ?? 0);
if (every > 0) setInterval(() => printStats(false, false), every).unref();
process.on('SIGUSR2', () => {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	printStats(true, gc !== undefined);
});
process.on('SIGTERM', async () => {
	await collab.close();
	await database.close();
	process.exit(0);
});
