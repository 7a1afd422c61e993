/**
 * Our collaboration server alone, for `npm run bench:collab`: the real attach/persistence code on
 * an embedded database (or BENCH_DATABASE_URL), with authentication replaced by "everyone may
 * write, as the name in the URL" because the benchmark measures the document path, not sign-in
 * (presence is still attested: every awareness frame is checked against that name). Prints `PORT <n>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { attachCollab } from '../../src/lib/server/collab/attach';
import { postgresStore } from '../../src/lib/server/collab/persistence';
import { openDatabase } from '../../src/lib/server/db/client';

const database = await openDatabase({ url: process.env.BENCH_DATABASE_URL, dataDir: 'memory://' });
await database.migrate(resolve(import.meta.dirname, '../../drizzle'));
const server = createServer((_req, res) => res.writeHead(404).end());
let n = 0;
const collab = attachCollab(server, {
	store: postgresStore(database.db),
	checkOrigin: () => true,
	authenticate: async (req) => {
		const name = new URL(req.url ?? '/', 'http://bench').searchParams.get('name') ?? 'observer';
		return { userId: ++n, sessionId: `bench-${n}`, access: 'write', identity: { name } };
	},
	revalidate: async (items) => items.map(() => true)
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', async () => {
	await collab.close();
	await database.close();
	process.exit(0);
});
