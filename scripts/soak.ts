/**
 * `npm run soak`: a bounded soak of our collaboration server (scripts/bench/collab-server-ours.ts as a
 * child process), on the embedded database on disk in a temporary directory (removed after; in memory
 * its growing data would count as drift), or on BENCH_DATABASE_URL. Light typists spread over many
 * documents each send an edit and a cursor move `rate` times a second; a few full observers on sampled
 * documents measure latency. Throughout, 2 % of the sockets drop every 5 s and come back 1–3 s later,
 * and every 20 s 2 % of the documents lose all their clients for 15 s, long enough to be unloaded (10 s
 * after the last client leaves) and then reopened from the database.
 *
 * The server's RSS (and V8 heap) is taken after the warm-up and at the end, each after a full garbage
 * collection (node --expose-gc), so the drift compares like with like; PGlite's large start-up memory is
 * in both. At the end typing stops, every typist comes back, and every document's content on the server
 * is checked against what its typists typed. Prints progress, a summary and, as its last line, one JSON
 * object of all figures. Exits 1 when the RSS drift is 10 % or more, or any edit went missing (not on the
 * server, not at every observer, or never acknowledged as stored). The drift means most at full length.
 *
 * Options: --minutes 10 (whole run, warm-up included)  --sockets 500  --docs 100  --rate 1 (edits per
 * socket per second)  --warmup <s> (default a quarter of the run, at most 60)  --sampled <documents
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
const WARMUP_S = arg('warmup', Math.min(60, Math.round((MINUTES * 60) / 4)));
const SAMPLED = Math.min(DOCS, arg('sampled', Math.max(1, Math.round(DOCS / 10))));
const OBSERVERS = arg('observers', 3);
const MAX_DRIFT_PCT = 10;
// Each y-websocket provider in Node adds a process 'exit' listener; these observers are not a leak.
process.setMaxListeners(0);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => Math.round(loadavg()[0] * 100) / 100;
const measuredMs = (MINUTES * 60 - WARMUP_S) * 1000;
if (!(measuredMs > 0)) throw new Error(`--warmup ${WARMUP_S} s leaves nothing of a ${MINUTES}-minute run to measure`);

const dataDir = process.env.BENCH_DATABASE_URL ? '' : mkdtempSync(join(tmpdir(), 'pingli-soak-'));
const database = dataDir ? 'embedded' : 'postgresql';
const server = await startServer('ours', { nodeArgs: ['--expose-gc'], env: { BENCH_DATA_DIR: dataDir, BENCH_STATS_MS: '5000', REDIS_URL: '' } });
const stopServer = async () => {
	await server.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
};
process.once('SIGINT', () => void stopServer().then(() => process.exit(130)));
const pid = server.child.pid!;
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

const start = await server.stats();
const cpuBefore = procStats(pid).cpuTicks;
const clientCpuBefore = process.cpuUsage();
const startedAt = performance.now();
const loadStart = load();
fleet.resetAcks();
fleet.recording = true;
console.log(`start     rss ${start.rss_mb} MB  heap ${start.heap_used_mb} MB  documents ${start.documents}  connections ${start.connections}`);

const progressMs = Math.max(10_000, Math.min(60_000, measuredMs / 10));
for (let elapsed = 0; elapsed < measuredMs; ) {
	const step = Math.min(progressMs, measuredMs - elapsed);
	const since = performance.now();
	await sleep(step);
	elapsed += step;
	const s: Partial<ServerStats> = server.latest ?? {};
	// This step's edits (those sent at its very end may not have arrived yet).
	const lat = fleet.latencies(since).sort((a, b) => a - b);
	console.log(
		`${String(Math.round(elapsed / 1000)).padStart(4)} s    rss ${procStats(pid).rssMb} MB  documents ${s.documents}  connections ${s.connections}  p50 ${pct(lat, 50)} ms  p95 ${pct(lat, 95)} ms  unloaded ${s.events?.document_unloaded ?? 0}  reconnects ${fleet.reconnects}  load ${load()}`
	);
}

const wallMs = performance.now() - startedAt;
const cpuAfter = procStats(pid).cpuTicks;
const clientCpu = process.cpuUsage(clientCpuBefore);
const end = await server.stats();
fleet.recording = false;
await fleet.settle(30_000);
const missing = await fleet.missingEdits();
const recorded = fleet.sends.reduce((n, s) => n + s.size, 0);
const lat = fleet.latencies().sort((a, b) => a - b);
const acks = fleet.acks().sort((a, b) => a - b);
const unsaved = fleet.typists.reduce((n, t) => n + t.client.unsaved, 0);
const drift = Math.round(((end.rss_mb - start.rss_mb) / start.rss_mb) * 1000) / 10;
const figures = {
	minutes: MINUTES,
	sockets: SOCKETS,
	docs: DOCS,
	rate: RATE,
	database,
	load_avg_start: loadStart,
	load_avg_end: load(),
	rss_start_mb: start.rss_mb,
	rss_end_mb: end.rss_mb,
	rss_drift_pct: drift,
	heap_start_mb: start.heap_used_mb,
	heap_end_mb: end.heap_used_mb,
	documents_start: start.documents,
	documents_end: end.documents,
	documents_unloaded: (end.events.document_unloaded ?? 0) - (start.events.document_unloaded ?? 0),
	idle_cycles: fleet.idleCycles,
	reconnects: fleet.reconnects,
	p50_ms: pct(lat, 50),
	p95_ms: pct(lat, 95),
	p99_ms: pct(lat, 99),
	ack_p95_ms: pct(acks, 95),
	cpu_pct: cpuPct(cpuBefore, cpuAfter, wallMs),
	client_cpu_pct: Math.round(((clientCpu.user + clientCpu.system) / 1000 / wallMs) * 1000) / 10,
	edits_sampled: recorded,
	edits_measured: lat.length,
	missing_edits: missing,
	unsaved_edits: unsaved,
	server_events: end.events
};
fleet.close();
await stopServer();

console.log(`end       rss ${end.rss_mb} MB  heap ${end.heap_used_mb} MB  documents ${end.documents}  connections ${end.connections}`);
console.log(`rss drift ${drift} %  (start ${start.rss_mb} MB → end ${end.rss_mb} MB; heap ${start.heap_used_mb} → ${end.heap_used_mb} MB)`);
console.log(`documents loaded ${start.documents} → ${end.documents}; ${figures.documents_unloaded} unloads while measuring over ${fleet.idleCycles} idle cycles; ${fleet.reconnects} reconnects`);
console.log(`latency   p50 ${figures.p50_ms} ms  p95 ${figures.p95_ms} ms  p99 ${figures.p99_ms} ms  (${lat.length}/${recorded} sampled edits at every observer)  saved-ack p95 ${figures.ack_p95_ms} ms`);
console.log(`cpu       server ${figures.cpu_pct} %  clients ${figures.client_cpu_pct} %  load ${loadStart} → ${figures.load_avg_end}`);
console.log(`server log events ${JSON.stringify(end.events)}`);
const failures = [
	drift >= MAX_DRIFT_PCT && `RSS drift ${drift} % is ${MAX_DRIFT_PCT} % or more`,
	missing > 0 && `${missing} edits are missing on the server`,
	lat.length < recorded && `${recorded - lat.length} sampled edits did not reach every observer`,
	unsaved > 0 && `${unsaved} edits were never acknowledged as stored`
].filter((f): f is string => typeof f === 'string');
for (const f of failures) console.error(`FAIL: ${f}`);
console.log(JSON.stringify({ ...figures, ok: failures.length === 0 }));
process.exit(failures.length === 0 ? 0 : 1);
