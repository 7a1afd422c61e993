/**
 * `npm run soak`: a bounded soak of our collaboration server (scripts/bench/collab-server-ours.ts as a
 * child process), on the embedded database on disk in a temporary directory (removed after; in memory
 * its growing data would count as drift), or on BENCH_DATABASE_URL. Light typists spread over many
 * documents each send an edit and a cursor move `rate` times a second; a few full observers on sampled
 * documents measure latency. Throughout, 2 % of the sockets drop every 5 s and come back 1–3 s later,
 * and every 20 s 2 % of the documents lose all their clients for 15 s, long enough to be unloaded (10 s
 * after the last client leaves) and then reopened from the database.
 *
 * The drift compares the server's RSS after the warm-up (so PGlite's large start-up memory is in both)
 * and at the end, each with its garbage collected (node --expose-gc; see settledMemory); the V8 heap
 * after a full GC is given too. At the end typing stops, every typist comes back, and every document's
 * content on the server is checked against what its typists typed. Prints progress lines, a summary
 * and, as its last line, one JSON object of all figures. Exits 1 when the RSS drift is 10 % or more, or
 * any edit went missing (not on the server, not at every observer, or never acknowledged as stored). The
 * drift means most at full length.
 *
 * Options: --minutes 10 (whole run, warm-up included)  --sockets 500  --docs 100  --rate 1 (edits per
 * socket per second)  --warmup <s> (default half the run, at most 60)  --sampled <documents
 * with observers> (default a tenth)  --observers 3 (per sampled document)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SoakFleet } from './bench/soak-fleet';
import { cpuPct, pct, procStats, startServer, type ServerStats } from './bench/server-process';

const arg = (name: string, fallback: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MINUTES = arg('minutes', 10);
const SOCKETS = arg('sockets', 500);
const DOCS = arg('docs', 100);
const RATE = arg('rate', 1);
// The server's memory is still settling for some 30 s after 500 sockets connect (a peak near 900 MB).
const WARMUP_S = arg('warmup', Math.min(60, Math.round((MINUTES * 60) / 2)));
const SAMPLED = Math.min(DOCS, arg('sampled', Math.max(1, Math.round(DOCS / 10))));
const OBSERVERS = arg('observers', 3);
const MAX_DRIFT_PCT = 10;
// Each y-websocket provider in Node adds a process 'exit' listener; these observers are not a leak.
process.setMaxListeners(0);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => Math.round(loadavg()[0] * 100) / 100;
const measuredMs = (MINUTES * 60 - WARMUP_S) * 1000;
if (!(measuredMs > 0)) throw new Error(`--warmup ${WARMUP_S} s leaves nothing of a ${MINUTES}-minute run to measure`);

const dataDir = process.env.BENCH_DATABASE_URL ? '' : mkdtempSync(join(tmpdir(), 'pingli-soak-'));
const database = dataDir ? 'embedded' : 'postgresql';
// The server's figures every second, kept while measuring.
const samples: (ServerStats & { at: number })[] = [];
let measuring = false;
const server = await startServer('ours', {
	nodeArgs: ['--expose-gc'],
	env: { BENCH_DATA_DIR: dataDir, BENCH_STATS_MS: '1000', REDIS_URL: '' },
	onStats: (stats) => measuring && samples.push({ ...stats, at: performance.now() })
});
const stopServer = async () => {
	await server.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
};
process.once('SIGINT', () => void stopServer().then(() => process.exit(130)));
const pid = server.child.pid!;

/**
 * The server's memory with its garbage collected: a reading between collections carries up to a hundred
 * MB of garbage, and V8 returns freed pages a moment after a collection. So: three times a full GC, 2 s
 * later the RSS; their median, with the heap and the rest of the last report.
 */
async function settledMemory(): Promise<ServerStats> {
	const readings: number[] = [];
	let stats: ServerStats | undefined;
	for (let i = 0; i < 3; i++) {
		stats = await server.stats();
		await sleep(2000);
		readings.push(procStats(pid).rssMb);
	}
	return { ...stats!, rss_mb: median(readings) };
}

const fleet = new SoakFleet(
	{
		base: `ws://127.0.0.1:${server.port}/collab`,
		sockets: SOCKETS,
		docs: DOCS,
		rate: RATE,
		sampled: SAMPLED,
		observersPerDoc: OBSERVERS,
		churnEveryMs: 5000,
		churnShare: 0.02,
		idleEveryMs: 20_000,
		idleShare: 0.02,
		idleMs: 15_000
	},
	randomBytes(4).toString('hex')
);
console.log(`soak: ${MINUTES} min (${WARMUP_S} s warm-up), ${SOCKETS} sockets over ${DOCS} documents, ${RATE} edit/s each, ${SAMPLED}×${OBSERVERS} observers, ${database} database, load ${load()}`);
await fleet.connect();
fleet.start();
await sleep(WARMUP_S * 1000);

const atStart = await settledMemory();
const cpuBefore = procStats(pid).cpuTicks;
const clientCpuBefore = process.cpuUsage();
const startedAt = performance.now();
const loadStart = load();
fleet.resetAcks();
fleet.recording = true;
measuring = true;
console.log(`start  rss ${atStart.rss_mb} MB  heap ${atStart.heap_used_mb} MB (after full GCs)  documents ${atStart.documents}  connections ${atStart.connections}`);

const progressMs = Math.max(10_000, Math.min(60_000, measuredMs / 10));
for (let elapsed = 0; elapsed < measuredMs; ) {
	const step = Math.min(progressMs, measuredMs - elapsed);
	const since = performance.now();
	await sleep(step);
	elapsed += step;
	const s = samples.at(-1);
	const window = samples.filter((x) => x.at >= since);
	// This step's edits (those sent at its very end may not have arrived yet).
	const lat = fleet.latencies(since).sort((a, b) => a - b);
	console.log(
		`${String(Math.round(elapsed / 1000)).padStart(4)} s  rss ${s?.rss_mb} MB  heap ${s?.heap_used_mb} MB  documents ${s?.documents}  connections ${s?.connections}  p50 ${pct(lat, 50)} ms  p95 ${pct(lat, 95)} ms  loop delay max ${Math.max(...window.map((x) => x.loop_delay_max_ms))} ms  unloaded ${s?.events.document_unloaded ?? 0}  reconnects ${fleet.reconnects}  load ${load()}`
	);
}

const wallMs = performance.now() - startedAt;
const cpuAfter = procStats(pid).cpuTicks;
const clientCpu = process.cpuUsage(clientCpuBefore);
measuring = false;
fleet.recording = false;
const atEnd = await settledMemory();
await fleet.settle(30_000);
const missing = await fleet.missingEdits();
const recorded = fleet.sends.reduce((n, s) => n + s.size, 0);
const lat = fleet.latencies().sort((a, b) => a - b);
const acks = fleet.acks().sort((a, b) => a - b);
const unsaved = fleet.typists.reduce((n, t) => n + t.client.unsaved, 0);

const drift = Math.round(((atEnd.rss_mb - atStart.rss_mb) / atStart.rss_mb) * 1000) / 10;
const figures = {
	minutes: MINUTES,
	sockets: SOCKETS,
	docs: DOCS,
	rate: RATE,
	database,
	load_avg_start: loadStart,
	load_avg_end: load(),
	rss_start_mb: atStart.rss_mb,
	rss_end_mb: atEnd.rss_mb,
	rss_drift_pct: drift,
	rss_max_mb: Math.max(...samples.map((x) => x.rss_mb)),
	heap_start_mb: atStart.heap_used_mb,
	heap_end_mb: atEnd.heap_used_mb,
	documents_start: atStart.documents,
	documents_end: atEnd.documents,
	documents_unloaded: (atEnd.events.document_unloaded ?? 0) - (atStart.events.document_unloaded ?? 0),
	idle_cycles: fleet.idleCycles,
	reconnects: fleet.reconnects,
	p50_ms: pct(lat, 50),
	p95_ms: pct(lat, 95),
	p99_ms: pct(lat, 99),
	ack_p95_ms: pct(acks, 95),
	loop_delay_max_ms: Math.max(...samples.map((x) => x.loop_delay_max_ms)),
	cpu_pct: cpuPct(cpuBefore, cpuAfter, wallMs),
	client_cpu_pct: Math.round(((clientCpu.user + clientCpu.system) / 1000 / wallMs) * 1000) / 10,
	edits_sampled: recorded,
	edits_measured: lat.length,
	missing_edits: missing,
	unsaved_edits: unsaved,
	server_events: atEnd.events
};
fleet.close();
await stopServer();

const f = figures;
console.log(`end    rss ${atEnd.rss_mb} MB  heap ${atEnd.heap_used_mb} MB (after full GCs)  documents ${atEnd.documents}  connections ${atEnd.connections}`);
console.log(`rss       ${f.rss_start_mb} → ${f.rss_end_mb} MB, drift ${drift} % (each settled after full GCs; highest reading ${f.rss_max_mb} MB)`);
console.log(`heap      ${f.heap_start_mb} → ${f.heap_end_mb} MB after a full GC`);
console.log(`documents loaded ${f.documents_start} → ${f.documents_end}; ${f.documents_unloaded} unloaded while measuring (${f.idle_cycles} idle cycles in all); ${f.reconnects} reconnects`);
console.log(`latency   p50 ${f.p50_ms} ms  p95 ${f.p95_ms} ms  p99 ${f.p99_ms} ms  (${lat.length}/${recorded} sampled edits at every observer)  saved-ack p95 ${f.ack_p95_ms} ms  event-loop delay max ${f.loop_delay_max_ms} ms`);
console.log(`cpu       server ${f.cpu_pct} %  clients ${f.client_cpu_pct} %  load ${loadStart} → ${f.load_avg_end}`);
console.log(`server log events ${JSON.stringify(f.server_events)}`);
const failures = [
	drift >= MAX_DRIFT_PCT && `RSS drift ${drift} % is ${MAX_DRIFT_PCT} % or more`,
	missing > 0 && `${missing} edits are missing on the server`,
	lat.length < recorded && `${recorded - lat.length} sampled edits did not reach every observer`,
	unsaved > 0 && `${unsaved} edits were never acknowledged as stored`
].filter((x): x is string => typeof x === 'string');
for (const failure of failures) console.error(`FAIL: ${failure}`);
console.log(JSON.stringify({ ...figures, ok: failures.length === 0 }));
process.exit(failures.length === 0 ? 0 : 1);
