/**
 * A share of bench:collab's typists in a process of its own (`node --import tsx`, driven over IPC by
 * typist-fleet.ts). 200 clients that each re-broadcast every awareness change they receive, as
 * browsers do, are real work for the load generator: in their own processes they get CPU time of
 * their own, and the process that measures latency (the observers) is not held up by them.
 * Send times are absolute (performance.timeOrigin + performance.now()), comparable across processes.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LightClient } from './collab-clients';

export type TypistCommand =
	| { type: 'open'; urls: string[] }
	/** Types for `seconds`, each typist once a second, spread evenly; with `record`, sends and counters start afresh. */
	| { type: 'type'; seconds: number; record: boolean }
	| { type: 'report' }
	| { type: 'close' };

export type TypistReply =
	| { type: 'opened' }
	| { type: 'typed'; sends: [string, number][]; awarenessSent: number }
	| { type: 'report'; acks: number[]; closed: number; loopDelayP99Ms: number };

const TICK_MS = 10;
const typists: LightClient[] = [];
const loop = monitorEventLoopDelay({ resolution: 10 });
const reply = (r: TypistReply) => process.send!(r);

process.on('message', async (command: TypistCommand) => {
	switch (command.type) {
		case 'open':
			await Promise.all(command.urls.map((url) => new Promise<void>((ready) => typists.push(new LightClient(url, ready)))));
			return reply({ type: 'opened' });
		case 'type': {
			if (command.record) {
				for (const t of typists) t.acks.length = 0;
				loop.reset();
				loop.enable();
			}
			const before = typists.reduce((n, t) => n + t.awarenessSent, 0);
			const sends = await typeFor(command.seconds);
			const awarenessSent = typists.reduce((n, t) => n + t.awarenessSent, 0) - before;
			return reply({ type: 'typed', sends: command.record ? sends : [], awarenessSent });
		}
		case 'report':
			loop.disable();
			return reply({
				type: 'report',
				acks: typists.flatMap((t) => t.acks),
				closed: typists.filter((t) => t.closeCodes.length > 0).length,
				loopDelayP99Ms: Math.round(loop.percentile(99) / 1e5) / 10
			});
		case 'close':
			for (const t of typists) t.close();
			process.exit(0);
	}
});

/** Each typist types once a second, spread evenly over the second; returns each edit's key and send time. */
function typeFor(seconds: number): Promise<[string, number][]> {
	const sends: [string, number][] = [];
	const perTick = typists.length / (1000 / TICK_MS);
	let carry = 0;
	let next = 0;
	let tick = 0;
	return new Promise((resolve) => {
		const timer = setInterval(() => {
			for (carry += perTick; carry >= 1; carry--) {
				const t = typists[next];
				next = (next + 1) % typists.length;
				if (!t.open) continue;
				const sent = t.type();
				sends.push([sent.key, performance.timeOrigin + sent.at]);
			}
			if (++tick >= seconds * (1000 / TICK_MS)) {
				clearInterval(timer);
				resolve(sends);
			}
		}, TICK_MS);
	});
}
