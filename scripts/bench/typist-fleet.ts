/**
 * bench:collab's typists spread over a few processes (typist-process.ts), driven over IPC: open
 * them, type for a while (recording or not), collect the figures, close.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { TypistCommand, TypistReply } from './typist-process';

export class TypistFleet {
	private constructor(private readonly children: ChildProcess[]) {}

	/** Starts `processes` processes and opens the typists (`urls`, one each), shared out in turn. */
	static async open(urls: string[], processes: number): Promise<TypistFleet> {
		const count = Math.max(1, Math.min(processes, urls.length));
		const children = Array.from({ length: count }, () =>
			fork(resolve(import.meta.dirname, 'typist-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
		);
		const fleet = new TypistFleet(children);
		await fleet.ask({ type: 'open', urls: [] }, (i) => ({ type: 'open', urls: urls.filter((_, j) => j % count === i) }));
		return fleet;
	}

	/** Types for `seconds`; with `record`, the sends (key → absolute send time) and the awareness frames sent. */
	async type(seconds: number, record: boolean): Promise<{ sends: [string, number][]; awarenessSent: number }> {
		const replies = (await this.ask({ type: 'type', seconds, record })) as Extract<TypistReply, { type: 'typed' }>[];
		return { sends: replies.flatMap((r) => r.sends), awarenessSent: replies.reduce((n, r) => n + r.awarenessSent, 0) };
	}

	/** Saved-ack latencies since the recording began, typists closed by the server, the worst event-loop delay p99. */
	async report(): Promise<{ acks: number[]; closed: number; loopDelayP99Ms: number }> {
		const replies = (await this.ask({ type: 'report' })) as Extract<TypistReply, { type: 'report' }>[];
		return {
			acks: replies.flatMap((r) => r.acks),
			closed: replies.reduce((n, r) => n + r.closed, 0),
			loopDelayP99Ms: Math.max(...replies.map((r) => r.loopDelayP99Ms))
		};
	}

	async close(): Promise<void> {
		await Promise.all(
			this.children.map((child) => {
				const exited = new Promise<void>((r) => child.once('exit', () => r()));
				if (child.connected) child.send({ type: 'close' } satisfies TypistCommand);
				else child.kill();
				return exited;
			})
		);
	}

	/** Sends each child a command (the same, or its own) and waits for every reply. */
	private ask(command: TypistCommand, each?: (i: number) => TypistCommand): Promise<TypistReply[]> {
		return Promise.all(
			this.children.map(
				(child, i) =>
					new Promise<TypistReply>((answer, fail) => {
						const failed = (code: number | null) => fail(new Error(`a typist process exited with ${code}`));
						child.once('exit', failed);
						child.once('message', (r: TypistReply) => {
							child.off('exit', failed);
							answer(r);
						});
						child.send(each ? each(i) : command);
					})
			)
		);
	}
}
