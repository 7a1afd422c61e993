/**
 * `npm run bench:collab`: N editors on one record against our collaboration server and against the
 * reference @y/websocket-server@0.1.1, in the same run. Per N: observers are full y-websocket
 * providers that apply every update (latency is measured there: the time until every observer has
 * an edit applied); typists each type one character and move their cursor once a second. Typists do
 * on the wire what a browser's y-websocket provider does (bench/collab-clients.ts: LightClient),
 * re-broadcasting every awareness change they receive, so a room of N sends the server some N²
 * awareness frames a second, as real rooms do; they only skip applying others' edits, so the load
 * generator is not the bottleneck. Server CPU and RSS are read from /proc. Prints a table and, as its
 * last line, one JSON object of all figures; besides latency, CPU and memory: `awareness_in_per_s`
 * (awareness frames the typists sent a second) and `closed` (connections the server ended with a
 * 4xxx code, e.g. 4429 over a budget: their later edits are not measured).
 *
 * Options: --sizes 10,50,200  --seconds 15  --warmup 3  --servers ours,reference  --profile DIR
 * (writes our server's CPU profile there, node --cpu-prof)  --typist-processes 2 (the typists run in
 * that many processes of their own, bench/typist-process.ts; the observers stay in this one).
 * --instances 1,2: ours as that many instances sharing one PostgreSQL database (BENCH_DATABASE_URL,
 * else a throwaway `pingli_bench_<random>` on postgres://postgres@127.0.0.1:5432/postgres, dropped
 * afterwards), relayed through Redis (REDIS_URL, default redis://127.0.0.1:6379) when more than one.
 * Observers and typists alternate between the instances; an edit counts once every observer on every
 * instance has it; CPU and RSS are summed over the instances (and given per instance). One instance's
 * figures go under "ours", n instances' under "ours_<n>_instances". Without --instances, ours runs once
 * on the embedded database (or BENCH_DATABASE_URL).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createAppDatabase, type AppDatabase } from '../tests/support/app-database';
import { LatencyBook, observer, type SendLog } from './bench/collab-clients';
import { cpuPct, pct, procStats, startServer, type ServerProcess } from './bench/server-process';
import { TypistFleet } from './bench/typist-fleet';

const arg = (name: string, fallback: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg('sizes', '10,50,200').split(',').map(Number);
const SECONDS = Number(arg('seconds', '15'));
const WARMUP = Number(arg('warmup', '3'));
const PROFILE = arg('profile', '');
const SERVERS = arg('servers', 'ours,reference').split(',') as ('ours' | 'reference')[];
const INSTANCES = arg('instances', '');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TYPIST_PROCESSES = Number(arg('typist-processes', '2'));
/** The send log's clock: typists run in other processes, so times are absolute. */
const absolute = () => performance.timeOrigin + performance.now();
// Each y-websocket provider in Node adds a process 'exit' listener; ten observers are not a leak.
process.setMaxListeners(0);

interface Figures {
	/** The machine's one-minute load average when the run ended (other work skews every figure). */
	load_avg: number;
	p50_ms: number;
	p95_ms: number;
	p99_ms: number;
	/** Summed over the instances. */
	cpu_pct: number;
	rss_mb: number;
	edits: number;
	measured: number;
	/** Awareness frames the typists sent the server a second (own cursor moves and re-broadcasts). */
	awareness_in_per_s: number;
	/** Typist connections the server ended with a 4xxx close code (e.g. 4429, over a budget). */
	closed: number;
	/**
	 * The typist processes' event-loop delay p99 (the worst process): high means the load generator,
	 * not the server, was short of CPU, and every figure is slower than the server alone would make it.
	 */
	typists_loop_delay_p99_ms: number;
	/** With more than one instance: each one's share. */
	instances?: { cpu_pct: number; rss_mb: number }[];
}

async function run(kind: 'ours' | 'reference', n: number, servers: ServerProcess[]): Promise<Figures & { acks: number[] }> {
	const room = `bench-${kind}-${n}-${Date.now()}`;
	const sends: SendLog = new Map();
	const observers = Math.min(10, Math.max(2, Math.round(n / 20)));
	// The typists' processes report their sends when typing ends: arrivals are kept until then.
	const book = new LatencyBook(sends, observers, true);
	// Observers and typists alternate between the instances.
	const base = (i: number) => `ws://127.0.0.1:${servers[i % servers.length].port}/collab`;
	const obs = Array.from({ length: observers }, (_, i) => observer(base(i), room, book, absolute));
	await Promise.all(obs.map((o) => new Promise<void>((r) => (o.provider.synced ? r() : o.provider.once('sync', () => r())))));
	const fleet = await TypistFleet.open(
		Array.from({ length: n - observers }, (_, i) => `${base(i)}/${room}`),
		TYPIST_PROCESSES
	);
	await fleet.type(WARMUP, false);
	const pids = servers.map((s) => s.child.pid!);
	const before = pids.map(procStats);
	const started = performance.now();
	const typed = await fleet.type(SECONDS, true);
	const wall = performance.now() - started;
	const after = pids.map(procStats);
	for (const [k, at] of typed.sends) sends.set(k, at);
	// Let the last edits arrive: until every observer has every edit, or 10 s (an overwhelmed server's
	// slowest edits then count in its figures instead of being left out).
	for (let waited = 0; waited < 10_000 && book.latencies().length < sends.size; waited += 100) await new Promise((r) => setTimeout(r, 100));
	const lat = book.latencies().sort((a, b) => a - b);
	const { acks, closed, loopDelayP99Ms } = await fleet.report();
	await fleet.close();
	for (const o of obs) o.close();
	const each = pids.map((_, i) => ({ cpu_pct: cpuPct(before[i].cpuTicks, after[i].cpuTicks, wall), rss_mb: after[i].rssMb }));
	const sum = (f: (s: (typeof each)[number]) => number) => Math.round(each.reduce((t, s) => t + f(s), 0) * 10) / 10;
	return {
		load_avg: Math.round(loadavg()[0] * 100) / 100,
		p50_ms: pct(lat, 50),
		p95_ms: pct(lat, 95),
		p99_ms: pct(lat, 99),
		cpu_pct: sum((s) => s.cpu_pct),
		rss_mb: sum((s) => s.rss_mb),
		edits: sends.size,
		measured: lat.length,
		awareness_in_per_s: Math.round(typed.awarenessSent / (wall / 1000)),
		closed,
		typists_loop_delay_p99_ms: loopDelayP99Ms,
		...(each.length > 1 ? { instances: each } : {}),
		acks
	};
}

let database: AppDatabase | null = null;
/** Our instances' environment: one database for all, and the relay when there is more than one. */
async function oursEnv(count: number): Promise<NodeJS.ProcessEnv> {
	let url = process.env.BENCH_DATABASE_URL;
	if (INSTANCES && !url) {
		database ??= await createAppDatabase('postgres', { label: 'bench', adminUrl: 'postgres://postgres@127.0.0.1:5432/postgres' });
		url = database.env.DATABASE_URL;
	}
	return {
		BENCH_DATABASE_URL: url ?? '',
		REDIS_URL: count > 1 ? REDIS_URL : '',
		BENCH_RELAY_PREFIX: `pingli:bench:${randomBytes(4).toString('hex')}:`
	};
}

const running = new Set<ServerProcess>();
async function cleanUp(): Promise<void> {
	await Promise.all([...running].map((s) => s.stop()));
	await database?.dispose();
}
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

const result: Record<string, Record<string, unknown>> = { ours: {}, reference: {} };
try {
	for (const kind of SERVERS) {
		for (const count of kind === 'ours' && INSTANCES ? INSTANCES.split(',').map(Number) : [1]) {
			const key = count === 1 ? kind : `ours_${count}_instances`;
			const label = kind === 'reference' ? kind : INSTANCES ? `ours on PostgreSQL, ${count} instance${count > 1 ? 's' : ''}` : `ours on ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`;
			const env = kind === 'ours' ? await oursEnv(count) : {};
			const servers: ServerProcess[] = [];
			// One after another: each applies the migrations on start.
			for (let i = 0; i < count; i++) {
				const server = await startServer(kind, { env, nodeArgs: PROFILE && kind === 'ours' ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [] });
				running.add(server);
				servers.push(server);
			}
			console.log(label);
			result[key] ??= {};
			const allAcks: number[] = [];
			for (const n of SIZES) {
				const { acks, ...figures } = await run(kind, n, servers);
				allAcks.push(...acks);
				result[key][String(n)] = figures;
				const split = figures.instances ? ` (${figures.instances.map((s) => `${s.cpu_pct}% ${s.rss_mb} MB`).join(' + ')})` : '';
				console.log(`  N=${String(n).padStart(3)}  p50 ${figures.p50_ms} ms  p95 ${figures.p95_ms} ms  p99 ${figures.p99_ms} ms  cpu ${figures.cpu_pct}%  rss ${figures.rss_mb} MB${split}  (${figures.measured}/${figures.edits} edits measured, ${figures.awareness_in_per_s} awareness frames/s in, ${figures.closed} closed by the server, typists' loop delay p99 ${figures.typists_loop_delay_p99_ms} ms, load ${figures.load_avg})`);
			}
			if (kind === 'ours') {
				allAcks.sort((a, b) => a - b);
				result[key].ack_p95_ms = pct(allAcks, 95);
				console.log(`  saved-ack p50 ${pct(allAcks, 50)} ms  p95 ${result[key].ack_p95_ms} ms  (${allAcks.length} acks)`);
			}
			for (const server of servers) {
				await server.stop();
				running.delete(server);
			}
		}
	}
} finally {
	await cleanUp();
}
console.log(JSON.stringify(result));
process.exit(0);
