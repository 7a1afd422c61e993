/**
 * `npx tsx scripts/bench/presence-echo.ts [--peers 200] [--seconds 10]`: whether our collaboration
 * server keeps a browser that re-broadcasts the presence of a room of that many people, as the
 * y-websocket provider does (every awareness change it receives goes back to the server). With each
 * of the other peers moving their caret once a second, one client sends (peers − 1) of their states
 * a second. Here one client re-sends another's real state (same clock, so the server drops it as
 * someone else's presence) at that rate, without the other peers' own load, so the answer does not
 * depend on the load generator keeping up. Prints the bytes a second sent and whether and when the
 * server closed the socket (4429: over its awareness budget, and y-websocket does not reconnect after
 * a 44xx close). Exits 1 when it was closed.
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { LightClient } from './collab-clients';
import { startServer } from './server-process';

const arg = (name: string, fallback: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PEERS = arg('peers', 200);
const SECONDS = arg('seconds', 10);
const TICK_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const join = (url: string) => new Promise<LightClient>((ready) => {
	const client: LightClient = new LightClient(url, () => ready(client));
});

const server = await startServer('ours');
const url = `ws://127.0.0.1:${server.port}/collab/presence-echo-${PEERS}`;
const echoing = await join(url);
const other = await join(url);
other.type();
await sleep(300);
// What the provider sends when it applies `other`'s new state: that state, with its clock.
const e = encoding.createEncoder();
encoding.writeVarUint(e, 1);
encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(other.awareness, [other.doc.clientID]));
const echo = encoding.toUint8Array(e);
const perSecond = PEERS - 1;
console.log(`re-broadcasting ${perSecond} presence states a second of ${echo.length} B: ${Math.round((perSecond * echo.length) / 102.4) / 10} KB/s`);

const started = performance.now();
let closed: { code: number; ms: number } | null = null;
echoing.ws.on('close', (code: number) => (closed = { code, ms: Math.round(performance.now() - started) }));
let carry = 0;
for (let t = 0; t < SECONDS * 1000 && !closed; t += TICK_MS) {
	for (carry += (perSecond * TICK_MS) / 1000; carry >= 1; carry--) if (echoing.open) echoing.ws.send(echo);
	await sleep(TICK_MS);
}
await sleep(200);
const result = closed as { code: number; ms: number } | null;
console.log(result ? `closed by the server with ${result.code} after ${result.ms} ms` : `still open after ${SECONDS} s`);
echoing.close();
other.close();
await server.stop();
process.exit(result ? 1 : 0);
