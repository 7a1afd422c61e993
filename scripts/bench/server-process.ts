/**
 * A benchmark's collaboration server as a child process: started, asked for its figures, stopped; its
 * CPU and memory read from /proc (Linux). Shared by bench:collab and soak.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** What scripts/bench/collab-server-ours.ts reports on a `STATS {json}` line. */
export interface ServerStats {
	documents: number;
	connections: number;
	rss_mb: number;
	heap_used_mb: number;
	/** Event-loop delay since the previous line. */
	loop_delay_p99_ms: number;
	loop_delay_max_ms: number;
	/** Log events counted since start, e.g. `document_unloaded`. */
	events: Record<string, number>;
	/** Printed on request (SIGUSR2) rather than periodically. */
	requested: boolean;
	/** Whether a full garbage collection ran just before (on request, with node --expose-gc). */
	gc: boolean;
}

export interface ServerProcess {
	readonly child: ChildProcess;
	readonly port: number;
	/** The most recent periodic figures (BENCH_STATS_MS), if any came yet. */
	readonly latest: ServerStats | null;
	/** Asks for figures now (SIGUSR2), after a full garbage collection if started with --expose-gc; ours only. */
	stats(): Promise<ServerStats>;
	/** SIGTERM (ours stores everything first) and waits for the exit. */
	stop(): Promise<void>;
}

export interface StartOptions {
	env?: NodeJS.ProcessEnv;
	nodeArgs?: string[];
	/** Called with each periodic STATS line (BENCH_STATS_MS). */
	onStats?(stats: ServerStats): void;
}

export function startServer(kind: 'ours' | 'reference', options: StartOptions = {}): Promise<ServerProcess> {
	const child =
		kind === 'ours'
			? spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'scripts/bench/collab-server-ours.ts'], {
					stdio: ['ignore', 'pipe', 'inherit'],
					env: { ...process.env, NODE_ENV: 'production', ...options.env }
				})
			: spawn(process.execPath, ['node_modules/@y/websocket-server/src/server.js'], {
					stdio: ['ignore', 'pipe', 'inherit'],
					env: { ...process.env, HOST: '127.0.0.1', PORT: String(20000 + Math.floor(Math.random() * 20000)), ...options.env }
				});
	const lines = createInterface({ input: child.stdout! });
	let latest: ServerStats | null = null;
	let waiting: ((s: ServerStats) => void)[] = [];
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return new Promise<ServerProcess>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
		lines.on('line', (line) => {
			if (line.startsWith('STATS ')) {
				const stats = JSON.parse(line.slice(6)) as ServerStats;
				if (!stats.requested) {
					latest = stats;
					options.onStats?.(stats);
					return;
				}
				const answered = waiting;
				waiting = [];
				for (const answer of answered) answer(stats);
				return;
			}
			const m = /PORT (\d+)/.exec(line) ?? /port (\d+)/.exec(line);
			if (!m) return;
			resolve({
				child,
				port: Number(m[1]),
				get latest() {
					return latest;
				},
				stats: () =>
					new Promise<ServerStats>((answer) => {
						waiting.push(answer);
						child.kill('SIGUSR2');
					}),
				async stop() {
					if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
					await exited;
				}
			});
		});
	});
}

/** CPU time used so far (clock ticks, 100 a second on Linux) and the resident set, from /proc. */
export function procStats(pid: number): { cpuTicks: number; rssMb: number } {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return { cpuTicks: Number(stat[11]) + Number(stat[12]), rssMb: Math.round(rssKb / 102.4) / 10 };
}

/** CPU % of one core between two readings `wallMs` apart. */
export const cpuPct = (before: number, after: number, wallMs: number) => Math.round(((after - before) / 100 / (wallMs / 1000)) * 1000) / 10;

/** The p-th percentile of sorted values, rounded to 0.01 (NaN for none). */
export function pct(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 100) / 100;
}
