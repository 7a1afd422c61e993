import type { IncomingMessage, Server } from 'node:http';
import { validateSessionToken } from './auth/session';
import { cookieFrom, sameOrigin, sessionTokenFrom } from './collab/app-auth';
import { upgradeAddress } from './collab/upgrade-address';
import { getDb, type Db } from './db';
import { env } from './env';
import { logger } from './logger';
import { loadViewer } from './people/load-viewer';
import { RECEPTION_GRANT_COOKIE } from './reception/reception-link';
import { receptionRoomAccess } from './reception/room-access';
import { CALL_GRANT_COOKIE } from './calls/call-link';
import { registerRoomKind, type Caller } from './calls/rooms';
import { sessionRoomAccess } from './calls/session-room';
import { attachCalls, type AttachedCalls, type CallOptions } from './calls/signalling';
import { turnCredentials, turnSettings } from './calls/turn';

/** The guest grant cookies a call socket's upgrade may carry, by the room kind that checks them. */
const GUEST_GRANT_COOKIES = { session: CALL_GRANT_COOKIE, reception: RECEPTION_GRANT_COOKIE } as const;

/** A signed-in person by the session cookie, else a guest by the grant cookies (a party's call link, a petitioner's reception link). */
export async function identifyCaller(req: IncomingMessage, db: Db): Promise<Caller | null> {
	const token = sessionTokenFrom(req);
	if (token) {
		const session = await validateSessionToken(db, token);
		const viewer = session ? await loadViewer(db, session.userId) : null;
		if (session && viewer) return { kind: 'user', viewer, sessionId: session.id };
	}
	const grants: Partial<Record<string, string>> = {};
	for (const [kind, cookie] of Object.entries(GUEST_GRANT_COOKIES)) {
		const grant = cookieFrom(req, cookie);
		if (grant) grants[kind] = grant;
	}
	return Object.keys(grants).length > 0 ? { kind: 'guest', grants } : null;
}

/** Whether relayed calls are configured (TURN_URLS and TURN_SECRET), for pages to say so. */
export function callsRelayed(): boolean {
	return turnSettings(env) !== null;
}

/** ICE servers for one peer: fresh TURN credentials when coturn is configured, else none (LAN only). */
export const appIceServers: CallOptions['iceServers'] = (peerId) => {
	const turn = turnSettings(env);
	if (!turn) return { iceServers: [], relayed: false };
	const { expiresAt: _expiresAt, ...server } = turnCredentials(turn, peerId);
	return { iceServers: [server], relayed: true };
};

/** The room kinds of this app: a mediation session's call, and the video reception desk's. */
export function registerAppRooms(): void {
	registerRoomKind('session', sessionRoomAccess);
	registerRoomKind('reception', receptionRoomAccess);
}

/** The app's call signalling on the HTTP server that also carries the collaboration server. */
export function startCalls(server: Server): AttachedCalls {
	const log = logger.child({ part: 'calls' });
	registerAppRooms();
	return attachCalls(server, {
		getDb,
		checkOrigin: sameOrigin(env.ORIGIN),
		identify: identifyCaller,
		iceServers: appIceServers,
		clientAddress: upgradeAddress(env.ADDRESS_HEADER, env.XFF_DEPTH),
		log: (event, detail) => log.info(detail, event)
	});
}
