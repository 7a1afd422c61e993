import type { Server } from 'node:http';
import { startCalls } from './start-calls';
import { startCollab } from './start-collab';
import { closeDatabase } from './db';
import { prepareDatabase } from './prepare';
import { env } from './env';
import { logger } from './logger';

/**
 * The event the production entry (`src/server.js`, built as `build/index.js`) emits with its
 * node:http server once the app is loaded. The entry holds no app code: everything below runs from
 * the build, so the process has one copy of each module (one database, one collaboration server).
 */
export const SERVE_EVENT = 'pingli:serve';

/** Lets the entry hand over its HTTP server (called from the `init` hook of the built app). */
export function acceptServer(): void {
	process.once(SERVE_EVENT, (server: Server) => {
		serve(server).catch((err: unknown) => {
			logger.fatal({ err }, 'the server failed to start');
			process.exit(1);
		});
	});
}

/**
 * Serves on `server` (whose requests already go to the SvelteKit handler): the collaboration server
 * on its `/collab/` upgrades, listening on PORT/HOST, and a graceful stop on SIGTERM/SIGINT that
 * stores every live record before the process exits. Also run from source by tests/support/collab-entry.ts.
 */
export async function serve(server: Server): Promise<void> {
	await prepareDatabase();
	const collab = await startCollab(server);
	// Call signalling beside it, on its `/call/` upgrades (calls/signalling.ts).
	const calls = startCalls(server);

	server.listen(env.PORT, env.HOST, () => {
		const address = server.address();
		const port = typeof address === 'object' && address ? address.port : env.PORT;
		logger.info({ port, database: env.DATABASE_URL ? 'postgres' : `pglite:${env.dataDir}` }, `Pingli listening on http://localhost:${port}`);
	});

	let stopping = false;
	async function shutdown(signal: string) {
		if (stopping) return;
		stopping = true;
		logger.info({ signal }, 'shutting down');
		// Edits acknowledged or not, everything received is stored before the process exits.
		await collab.close();
		await calls.close();
		server.closeIdleConnections();
		// Browsers keep connections open; give requests in flight a moment, then close the rest.
		const force = setTimeout(() => server.closeAllConnections(), 5000);
		await new Promise<void>((resolve) => server.close(() => resolve()));
		clearTimeout(force);
		await closeDatabase();
		process.exit(0);
	}
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
}
