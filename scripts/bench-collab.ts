/**
 * `npm run bench:collab`: N editors on one record against our collaboration server and against the
 * reference @y/websocket-server@0.1.1, in the same run. Per N: observers are full y-websocket
 * providers that apply every update (latency is measured there: the time until every observer has
 * an edit applied); typists are light protocol clients, each typing one character and moving its
 * cursor once a second, so the load generator is not the bottleneck. Server CPU and RSS are read
 * from /proc. Prints a table and, as its last line, one JSON object of all figures.
 *
 * Options: --sizes 10,50,200  --seconds 15  --warmup 3  --servers ours,reference  --profile DIR
 * (writes our server's CPU profile there, node --cpu-prof).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { LatencyBook, LightClient, observer, type SendLog } from './bench/collab-clients';

const arg = (name: string, fallback: string) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg('sizes', '10,50,200').split(',').map(Number);
const SECONDS = Number(arg('seconds', '15'));
const WARMUP = Number(arg('warmup', '3'));
const PROFILE = arg('profile', '');
const SERVERS = arg('servers', 'ours,reference').split(',') as ('ours' | 'reference')[];
const TICK = 1000 / 100;
// Each y-websocket provider in Node adds a process 'exit' listener; ten observers are not a leak.
process.setMaxListeners(0);

interface Figures {
	/** The machine's one-minute load average when the run ended (other work skews every figure). */
	load_avg: number;
	p50_ms: number;
	p95_ms: number;
	p99_ms: number;
	cpu_pct: number;
	rss_mb: number;
	edits: number;
	measured: number;
}

function pct(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 100) / 100;
}

function procStats(pid: number): { cpuTicks: number; rssMb: number } {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return { cpuTicks: Number(stat[11]) + Number(stat[12]), rssMb: Math.round(rssKb / 102.4) / 10 };
}

async function startServer(kind: 'ours' | 'reference'): Promise<{ child: ChildProcess; port: number }> {
	const child =
		kind === 'ours'
			? spawn(process.execPath, [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []), '--import', 'tsx', 'scripts/bench/collab-server-ours.ts'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } })
			: spawn(process.execPath, ['node_modules/@y/websocket-server/src/server.js'], {
					stdio: ['ignore', 'pipe', 'inherit'],
					env: { ...process.env, HOST: '127.0.0.1', PORT: String(20000 + Math.floor(Math.random() * 20000)) }
				});
	const lines = createInterface({ input: child.stdout! });
	const port = await new Promise<number>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
		lines.on('line', (line) => {
			const m = /PORT (\d+)/.exec(line) ?? /port (\d+)/.exec(line);
			if (m) resolve(Number(m[1]));
		});
	});
	return { child, port };
}

async function run(kind: 'ours' | 'reference', n: number, port: number, pid: number): Promise<Figures & { acks: number[] }> {
	const room = `bench-${kind}-${n}-${Date.now()}`;
	const sends: SendLog = new Map();
	const observers = Math.min(10, Math.max(2, Math.round(n / 20)));
	const book = new LatencyBook(sends, observers);
	const base = `ws://127.0.0.1:${port}/collab`;
	const obs = Array.from({ length: observers }, () => observer(base, room, book));
	await Promise.all(obs.map((o) => new Promise<void>((r) => (o.provider.synced ? r() : o.provider.once('sync', () => r())))));
	const typists: LightClient[] = [];
	await Promise.all(
		Array.from({ length: n - observers }, () => new Promise<void>((r) => typists.push(new LightClient(`${base}/${room}`, r))))
	);
	// Typists type into the shared send log only during the measured window.
	const type = (c: LightClient, record: boolean) => {
		const sent = c.type();
		if (record) sends.set(sent.key, sent.at);
	};
	const spread = (record: boolean, seconds: number) =>
		new Promise<void>((resolve) => {
			// Each typist types once a second, spread evenly over the second.
			let tick = 0;
			const perTick = typists.length / (1000 / TICK);
			let carry = 0;
			let next = 0;
			const timer = setInterval(() => {
				carry += perTick;
				while (carry >= 1) {
					carry -= 1;
					type(typists[next], record);
					next = (next + 1) % typists.length;
				}
				if (++tick >= seconds * (1000 / TICK)) {
					clearInterval(timer);
					resolve();
				}
			}, TICK);
		});
	await spread(false, WARMUP);
	for (const t of typists) t.acks.length = 0;
	const before = procStats(pid);
	const started = performance.now();
	await spread(true, SECONDS);
	const wall = performance.now() - started;
	const after = procStats(pid);
	// Let the last edits arrive: until every observer has every edit, or 10 s (an overwhelmed server's
	// slowest edits then count in its figures instead of being left out).
	for (let waited = 0; waited < 10_000 && book.latencies().length < sends.size; waited += 100) await new Promise((r) => setTimeout(r, 100));
	const lat = book.latencies().sort((a, b) => a - b);
	const acks = typists.flatMap((t) => t.acks);
	for (const t of typists) t.close();
	for (const o of obs) o.close();
	const hz = 100;
	return {
		load_avg: Math.round(loadavg()[0] * 100) / 100,
		p50_ms: pct(lat, 50),
		p95_ms: pct(lat, 95),
		p99_ms: pct(lat, 99),
		cpu_pct: Math.round(((after.cpuTicks - before.cpuTicks) / hz / (wall / 1000)) * 1000) / 10,
		rss_mb: after.rssMb,
		edits: sends.size,
		measured: lat.length,
		acks
	};
}

const result: Record<string, Record<string, unknown>> = { ours: {}, reference: {} };
for (const kind of SERVERS) {
	const { child, port } = await startServer(kind);
	const allAcks: number[] = [];
	for (const n of SIZES) {
		const { acks, ...figures } = await run(kind, n, port, child.pid!);
		allAcks.push(...acks);
		result[kind][String(n)] = figures;
		console.log(`${kind.padEnd(9)} N=${String(n).padStart(3)}  p50 ${figures.p50_ms} ms  p95 ${figures.p95_ms} ms  p99 ${figures.p99_ms} ms  cpu ${figures.cpu_pct}%  rss ${figures.rss_mb} MB  (${figures.measured}/${figures.edits} edits measured, load ${figures.load_avg})`);
	}
	if (kind === 'ours') {
		result.ours.ack_p95_ms = pct(allAcks.sort((a, b) => a - b), 95);
		console.log(`ours      saved-ack p50 ${pct(allAcks, 50)} ms  p95 ${result.ours.ack_p95_ms} ms  (${allAcks.length} acks)`);
	}
	child.kill('SIGTERM');
	await new Promise((r) => child.once('exit', r));
}
console.log(JSON.stringify(result));
process.exit(0);
