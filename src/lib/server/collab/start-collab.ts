import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { getDb } from '../db';
import { env } from '../env';
import { logger } from '../logger';
import { documentAccess } from '../mediation/document-access';
import { recordIdentity } from '../mediation/record-identity';
import { attendRecord } from '../mediation/sessions/attend-record';
import { sameOrigin, sessionAuthenticator, type AuthenticatorPolicies } from './app-auth';
import { attachCollab, type CollabServer } from './attach';
import { appMetrics } from '../health/metrics';
import { postgresStore } from './persistence';
import { redisRelay } from './redis-relay';
import { upgradeAddress } from './upgrade-address';

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

/** Which documents, as whom, and attendance on joining a session's record. */
export function appPolicies(log: Pick<Logger, 'error'>): AuthenticatorPolicies {
	return {
		access: documentAccess,
		identify: recordIdentity,
		// Attendance is a record of the session, not a condition of reading it: a failure is logged.
		joined: (db, viewer, docName) => attendRecord(db, viewer, docName).catch((err) => log.error({ err, docName }, 'recording attendance failed'))
	};
}

/**
 * The app's collaboration server on an HTTP server: session-cookie authentication, the document
 * policy of the mediation area, and storage in the app's database. Used by the production entry
 * and, in development, by the Vite plugin.
 */
export async function startCollab(server: Server): Promise<CollabServer> {
	const db = await getDb();
	const log = logger.child({ part: 'collab' });
	const auth = sessionAuthenticator(getDb, appPolicies(log));
	const collab = attachCollab(server, {
		store: postgresStore(db),
		checkOrigin: sameOrigin(env.ORIGIN),
		authenticate: auth.authenticate,
		revalidate: auth.revalidate,
		clientAddress: upgradeAddress(env.ADDRESS_HEADER, env.XFF_DEPTH),
		limits: { maxConnectionsPerUser: env.COLLAB_MAX_SOCKETS_PER_USER, maxConnectionsPerAddress: env.COLLAB_MAX_SOCKETS_PER_ADDRESS },
		metrics: appMetrics().collab,
		relay: env.REDIS_URL ? redisRelay({ url: env.REDIS_URL, log: (event, detail) => logRelay(log, event, detail) }) : undefined,
		log: (event, detail) => {
			if (event === 'store_failed') appMetrics().storeErrors.inc();
			log.info(detail, event);
		}
	});
	useCollab(collab);
	return collab;
}

/** Makes `collab` the process's running collaboration server (tests attach their own). */
export function useCollab(collab: CollabServer | null): void {
	(globalThis as Holder)[KEY] = collab ?? undefined;
}

/** The relay's state changes are what an operator must see: Redis down is a warning, back is info. */
function logRelay(log: Pick<Logger, 'info' | 'warn'>, event: string, detail: Record<string, unknown>): void {
	if (event === 'relay_down') log.warn(detail, 'Redis unreachable: live records are not shared with other instances until it is back');
	else if (event === 'relay_up') log.info(detail, 'Redis reachable again: resyncing live records with other instances');
	else log.info(detail, event);
}
