/**
 * The production entry (src/server.ts) without the SvelteKit handler, for tests that kill and restart
 * the server process: the same database preparation, the same `startCollab` on a node:http server,
 * the same "Pingli listening on" line and the same SIGTERM flush. The built app is not needed because
 * these tests speak only the collaboration protocol.
 */
import { createServer } from 'node:http';
import { startCollab } from '../../src/lib/server/collab/start-collab';
import { closeDatabase } from '../../src/lib/server/db';
import { prepareDatabase } from '../../src/lib/server/db/prepare';
import { env } from '../../src/lib/server/env';
import { logger } from '../../src/lib/server/logger';

await prepareDatabase();
const server = createServer((_req, res) => res.writeHead(404).end());
const collab = await startCollab(server);
server.listen(env.PORT, env.HOST, () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : env.PORT;
	logger.info({ port }, `Pingli listening on http://localhost:${port}`);
});

process.on('SIGTERM', async () => {
	await collab.close();
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	await closeDatabase();
	process.exit(0);
});
