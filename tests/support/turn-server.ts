import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway coturn (Debian's `turnserver`) on loopback for the relayed-call test, in the
 * `use-auth-secret` mode production uses (README "Calls"): it accepts only the app's time-limited
 * TURN REST credentials. Loopback peers must be allowed here (every browser of the test is on
 * 127.0.0.1); production configs must not allow them.
 */
export interface TurnServer {
	url: string;
	port: number;
	/** Allocations coturn logged so far (each relayed candidate is one). */
	log(): string;
	stop(): Promise<void>;
}

/** The TURN settings the e2e app server is started with (tests/support/e2e-server.ts) for a given app port. */
export function e2eTurn(appPort: number): { port: number; secret: string; url: string } {
	// Beside the app's ports (E2E_PORT, +1 for PostgreSQL): the app must know the URL when it starts,
	// before any test, so the port follows from the app's rather than being picked at random.
	const port = appPort + 500;
	return { port, secret: 'pingli-e2e-turn-secret-not-for-production', url: `turn:127.0.0.1:${port}?transport=udp` };
}

export async function startTurnServer(port: number, secret: string): Promise<TurnServer> {
	const dir = mkdtempSync(join(tmpdir(), 'pingli-turn-'));
	// A random relay range, so two runs on one machine do not fight over relay ports.
	const minPort = 40_000 + Math.floor(Math.random() * 200) * 100;
	const config = [
		'listening-ip=127.0.0.1',
		'relay-ip=127.0.0.1',
		`listening-port=${port}`,
		`min-port=${minPort}`,
		`max-port=${minPort + 99}`,
		'use-auth-secret',
		`static-auth-secret=${secret}`,
		'realm=pingli.test',
		'no-tls',
		'no-dtls',
		'no-cli',
		'allow-loopback-peers',
		'fingerprint',
		'log-file=stdout',
		'simple-log',
		'verbose',
		`pidfile=${join(dir, 'turn.pid')}`,
		`userdb=${join(dir, 'turndb')}`
	].join('\n');
	writeFileSync(join(dir, 'turnserver.conf'), config);
	const child: ChildProcess = spawn('/usr/bin/turnserver', ['-c', join(dir, 'turnserver.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	try {
		await stunAnswered(port, exited);
	} catch (err) {
		child.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`coturn did not start: ${String(err)}\n${output}`);
	}
	return {
		url: `turn:127.0.0.1:${port}?transport=udp`,
		port,
		log: () => output,
		async stop() {
			child.kill('SIGTERM');
			await exited;
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Resolves once coturn answers a STUN Binding request (RFC 5389 §6) on the port; re-sent until it does. */
function stunAnswered(port: number, exited: Promise<void>): Promise<void> {
	return new Promise((resolve, reject) => {
		const socket = createSocket('udp4');
		const request = Buffer.alloc(20);
		request.writeUInt16BE(0x0001, 0);
		request.writeUInt16BE(0, 2);
		request.writeUInt32BE(0x2112a442, 4);
		randomBytes(12).copy(request, 8);
		let settled = false;
		const done = (err?: Error) => {
			if (settled) return;
			settled = true;
			clearInterval(resend);
			clearTimeout(giveUp);
			socket.close();
			if (err) reject(err);
			else resolve();
		};
		socket.on('message', (msg) => {
			if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(request.subarray(8, 20))) done();
		});
		socket.on('error', () => {});
		const send = () => socket.send(request, port, '127.0.0.1');
		const resend = setInterval(send, 100);
		const giveUp = setTimeout(() => done(new Error('no STUN answer in 10 s')), 10_000);
		void exited.then(() => done(new Error('turnserver exited')));
		send();
	});
}
