import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A Redis server of its own, on loopback, that the fault suite stops and starts again on the same port. */
export interface ThrowawayRedis {
	port: number;
	url: string;
	/** Starts it (again) on the same port; resolves once it accepts connections. */
	start(): Promise<void>;
	/** Ends the process with `signal` and resolves once it has exited. */
	stop(signal?: NodeJS.Signals): Promise<void>;
	/** Stops it for good. */
	dispose(): Promise<void>;
}

/** redis-server without persistence: nothing survives a stop, as after losing a cache node. */
export async function startRedis(port: number): Promise<ThrowawayRedis> {
	let child: ChildProcess | null = null;
	let exited: Promise<void> = Promise.resolve();
	const onExit = () => child?.kill('SIGKILL');
	process.once('exit', onExit);

	const redis: ThrowawayRedis = {
		port,
		url: `redis://127.0.0.1:${port}`,
		async start() {
			if (child) throw new Error('redis is already running');
			const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
				stdio: ['ignore', 'pipe', 'pipe']
			});
			child = started;
			const output: string[] = [];
			exited = new Promise((done) =>
				started.once('exit', () => {
					if (child === started) child = null;
					done();
				})
			);
			await new Promise<void>((ready, fail) => {
				createInterface({ input: started.stdout! }).on('line', (line) => {
					output.push(line);
					if (line.includes('Ready to accept connections')) ready();
				});
				createInterface({ input: started.stderr! }).on('line', (line) => output.push(line));
				void exited.then(() => fail(new Error(`redis-server exited before it was ready:\n${output.join('\n')}`)));
			});
		},
		async stop(signal = 'SIGTERM') {
			child?.kill(signal);
			await exited;
		},
		async dispose() {
			await redis.stop('SIGKILL');
			process.off('exit', onExit);
		}
	};
	await redis.start();
	return redis;
}
