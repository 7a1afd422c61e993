import type { Server } from 'node:http';
import { getDb } from '../db';
import { env } from '../env';
import { logger } from '../logger';
import { documentAccess } from '../mediation/document-access';
import { recordIdentity } from '../mediation/record-identity';
import { sameOrigin, sessionAuthenticator } from './app-auth';
import { attachCollab, type CollabServer } from './attach';
import { postgresStore } from './persistence';

/**
 * The process's running collaboration server. Kept on `globalThis` because the production entry (run
 * from source) and the built SvelteKit bundle each hold their own copy of this module; server-side
 * edits (e.g. restoring a version) must reach the instance that holds the sockets.
 */
const KEY = Symbol.for('pingli.collab');
type Holder = { [KEY]?: CollabServer };

export function runningCollab(): CollabServer | null {
	return (globalThis as Holder)[KEY] ?? null;
}

/**
 * The app's collaboration server on an HTTP server: session-cookie authentication, the document
 * policy of the mediation area, and storage in the app's database. Used by the production entry
 * and, in development, by the Vite plugin.
 */
export async function startCollab(server: Server): Promise<CollabServer> {
	const db = await getDb();
	const auth = sessionAuthenticator(getDb, documentAccess, recordIdentity);
	const log = logger.child({ part: 'collab' });
	const collab = attachCollab(server, {
		store: postgresStore(db),
		checkOrigin: sameOrigin(env.ORIGIN),
		authenticate: auth.authenticate,
		revalidate: auth.revalidate,
		log: (event, detail) => log.info(detail, event)
	});
	(globalThis as Holder)[KEY] = collab;
	return collab;
}
