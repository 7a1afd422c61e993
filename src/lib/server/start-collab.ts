import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Viewer } from '../types';
import { agreementDocumentAccess } from './agreements/agreement-case';
import type { CollabServer } from './collab/api';
import { sameOrigin, sessionAuthenticator, type AuthenticatorPolicies } from './collab/app-auth';
import { attachCollab } from './collab/attach';
import { parseDocName, type DocName } from './collab/doc-name';
import { postgresStore } from './collab/persistence';
import { redisRelay } from './collab/redis-relay';
import { upgradeAddress } from './collab/upgrade-address';
import { getDb, type Db } from './db';
import { env } from './env';
import { appMetrics } from './health/metrics';
import { logger } from './logger';
import { recordDocumentAccess, type DocumentAccess } from './mediation/document-access';
import { recordIdentity } from './mediation/record-identity';
import { attendRecord } from './mediation/sessions/attend-record';

/**
 * The server `startCollab` started in this process (the build holds one copy of this module: see
 * src/server.js). In development, a new copy of this module made by Vite after an edit keeps it.
 */
let running: CollabServer | null = (import.meta.hot?.data.running as CollabServer | undefined) ?? null;
import.meta.hot?.dispose((data) => {
	data.running = running;
});

/**
 * The process's collaboration server, for `hooks.server.ts` to hand to routes as `event.locals.collab`;
 * null before it starts (and in a process that serves no sockets).
 */
export function collabServer(): CollabServer | null {
	return running;
}

/**
 * Who may do what with a live document, by its kind: a session's record (the mediation area's rule)
 * or an agreement's draft text (the agreements area's; 'view' once it is frozen: not even suggesting).
 */
export async function documentAccess(db: Db, viewer: Viewer, docName: DocName | string): Promise<DocumentAccess | 'view'> {
	const doc = typeof docName === 'string' ? parseDocName(docName) : docName;
	if (!doc) return null;
	return doc.kind === 'agreement' ? agreementDocumentAccess(db, viewer, doc.caseId) : recordDocumentAccess(db, viewer, doc);
}

/** Which documents, as whom, and attendance on joining a session's record. */
export function appPolicies(log: Pick<Logger, 'error'>): AuthenticatorPolicies {
	return {
		access: documentAccess,
		identify: recordIdentity,
		// Attendance is a record of the session, not a condition of reading it: a failure is logged.
		joined: (db, viewer, doc) => attendRecord(db, viewer, doc).catch((err) => log.error({ err, docName: doc.name }, 'recording attendance failed'))
	};
}

/**
 * The app's collaboration server on an HTTP server: session-cookie authentication, the document
 * policy of the mediation area, and storage in the app's database. Started once per process: by the
 * production entry (`src/server.js` through `serve.ts`) and, in development, by the Vite plugin.
 */
export async function startCollab(server: Server): Promise<CollabServer> {
	const db = await getDb();
	const log = logger.child({ part: 'collab' });
	const auth = sessionAuthenticator(getDb, appPolicies(log));
	const metrics = appMetrics();
	const collab = attachCollab(server, {
		store: postgresStore(db),
		checkOrigin: sameOrigin(env.ORIGIN),
		authenticate: auth.authenticate,
		revalidate: auth.revalidate,
		clientAddress: upgradeAddress(env.ADDRESS_HEADER, env.XFF_DEPTH),
		limits: { maxConnectionsPerUser: env.COLLAB_MAX_SOCKETS_PER_USER, maxConnectionsPerAddress: env.COLLAB_MAX_SOCKETS_PER_ADDRESS },
		metrics: metrics.collab,
		relay: env.REDIS_URL ? redisRelay({ url: env.REDIS_URL, log: (event, detail) => logRelay(log, event, detail) }) : undefined,
		log: (event, detail) => {
			if (event === 'store_failed') metrics.storeErrors.inc();
			log.info(detail, event);
		}
	});
	metrics.observe(collab);
	running = collab;
	return collab;
}

/** The relay's state changes are what an operator must see: Redis down is a warning, back is info. */
function logRelay(log: Pick<Logger, 'info' | 'warn'>, event: string, detail: Record<string, unknown>): void {
	if (event === 'relay_down') log.warn(detail, 'Redis unreachable: live records are not shared with other instances until it is back');
	else if (event === 'relay_up') log.info(detail, 'Redis reachable again: resyncing live records with other instances');
	else log.info(detail, event);
}
