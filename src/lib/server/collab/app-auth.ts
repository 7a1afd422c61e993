import type { IncomingMessage } from 'node:http';
import { and, gt, inArray } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { SESSION_COOKIE, validateSessionToken } from '../auth/session';
import type { Db } from '../db';
import { sessions } from '../db/schema';
import { loadViewer } from '../people/load-viewer';
import type { Grant } from './connection';
import type { DocName } from './doc-name';

/**
 * What a signed-in person may do with a document: edit, read (and suggest, when the suggester rule
 * allows), only view (not even suggest: the text is final), or nothing.
 */
export type DocumentPolicy = (db: Db, viewer: Viewer, doc: DocName) => Promise<'write' | 'read' | 'view' | null>;

/** The awareness `user` a connection is attested as (see `Grant.identity`). */
export type IdentityPolicy = (db: Db, viewer: Viewer, doc: DocName) => Promise<Record<string, unknown>>;

const nameAndId: IdentityPolicy = async (_db, viewer) => ({ id: viewer.id, name: viewer.name });

/** A cookie's value from a request's Cookie header, or null (upgrades never pass through SvelteKit's cookies). */
export function cookieFrom(req: IncomingMessage, name: string): string | null {
	const header = req.headers.cookie ?? '';
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
	}
	return null;
}

/** The session token from a Cookie header, or null. */
export function sessionTokenFrom(req: IncomingMessage): string | null {
	return cookieFrom(req, SESSION_COOKIE);
}

/**
 * Same-origin check for upgrades: the Origin header must be the configured ORIGIN or, without one,
 * the host the request was sent to. A missing Origin is refused: browsers always send it.
 */
export function sameOrigin(allowedOrigin: string | undefined) {
	return (req: IncomingMessage): boolean => {
		const origin = req.headers.origin;
		if (!origin) return false;
		if (allowedOrigin) return origin === allowedOrigin;
		try {
			return new URL(origin).host === req.headers.host;
		} catch {
			return false;
		}
	};
}

export interface AuthenticatorPolicies {
	/** Who may edit or read which document. */
	access: DocumentPolicy;
	/** The presence a connection may show (default: the person's id and name). */
	identify?: IdentityPolicy;
	/** Runs once access is granted, before the connection joins (e.g. recording attendance). */
	joined?(db: Db, viewer: Viewer, doc: DocName): Promise<void>;
}

/** Authentication by the app's session cookie, then authorisation by the document policy. */
export function sessionAuthenticator(getDb: () => Promise<Db>, policies: AuthenticatorPolicies) {
	const { access: policy, identify = nameAndId, joined } = policies;
	return {
		async authenticate(req: IncomingMessage, doc: DocName): Promise<Grant | null> {
			const token = sessionTokenFrom(req);
			if (!token) return null;
			const db = await getDb();
			const session = await validateSessionToken(db, token);
			if (!session) return null;
			const viewer = await loadViewer(db, session.userId);
			if (!viewer) return null;
			const access = await policy(db, viewer, doc);
			if (!access) return null;
			await joined?.(db, viewer, doc);
			return { userId: viewer.id, sessionId: session.id, access, identity: await identify(db, viewer, doc) };
		},

		/** One query for all sessions, then the policy once per (user, document, access). */
		async revalidate(items: { grant: Grant; doc: DocName }[]): Promise<boolean[]> {
			const db = await getDb();
			const ids = [...new Set(items.map((i) => i.grant.sessionId))];
			const live = new Set(
				(await db.select({ id: sessions.id }).from(sessions).where(and(inArray(sessions.id, ids), gt(sessions.expiresAt, new Date())))).map(
					(s) => s.id
				)
			);
			const viewers = new Map<number, Promise<Viewer | null>>();
			const verdicts = new Map<string, Promise<boolean>>();
			return Promise.all(
				items.map(({ grant, doc }) => {
					if (!live.has(grant.sessionId)) return false;
					const key = `${grant.userId}\u0000${doc.name}\u0000${grant.access}`;
					if (!verdicts.has(key)) {
						if (!viewers.has(grant.userId)) viewers.set(grant.userId, loadViewer(db, grant.userId));
						verdicts.set(
							key,
							viewers.get(grant.userId)!.then(async (viewer) => {
								if (!viewer) return false;
								const access = await policy(db, viewer, doc);
								// A writer demoted to reader is reconnected so the new right takes effect.
								return access === grant.access;
							})
						);
					}
					return verdicts.get(key)!;
				})
			);
		}
	};
}
