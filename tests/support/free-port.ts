import { createServer, type AddressInfo } from 'node:net';

/** A loopback port free now, for a server a test starts (and may start again) on a port of its own choosing. */
export async function freePort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
	const { port } = probe.address() as AddressInfo;
	await new Promise<void>((done) => probe.close(() => done()));
	return port;
}
