import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions } from '../db/schema';

/** Sliding expiry: a session unused for this long ends. */
export const SESSION_IDLE_MS = 1000 * 60 * 60 * 24 * 7;
/** Absolute lifetime: however active, a session ends this long after sign-in. */
export const SESSION_ABSOLUTE_MS = 1000 * 60 * 60 * 24 * 30;
/** Extend only when less than this is left, so not every request writes. */
const RENEW_WHEN_LEFT_MS = SESSION_IDLE_MS - 1000 * 60 * 60;

export const SESSION_COOKIE = 'pingli_session';

/** 24 random bytes in a 32-letter alphabet without look-alikes: 120 bits of entropy. */
export function randomString(): string {
	const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
	const bytes = new Uint8Array(24);
	crypto.getRandomValues(bytes);
	let out = '';
	for (const b of bytes) out += alphabet[b >> 3];
	return out;
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export interface SessionInfo {
	id: string;
	userId: number;
	createdAt: Date;
	expiresAt: Date;
}

/** Starts a session with a fresh token (never reuses one), returning the cookie value once. */
export async function createSession(
	db: Db,
	userId: number,
	now = new Date()
): Promise<{ token: string; session: SessionInfo }> {
	const id = randomString();
	const secret = randomString();
	const session: SessionInfo = {
		id,
		userId,
		createdAt: now,
		expiresAt: new Date(now.getTime() + SESSION_IDLE_MS)
	};
	await db.insert(sessions).values({ ...session, secretHash: hashSecret(secret) });
	return { token: `${id}.${secret}`, session };
}

/**
 * Returns the session for a cookie value, or null for anything malformed, unknown, tampered with or
 * expired. Renews the sliding expiry, never past the absolute lifetime.
 */
export async function validateSessionToken(
	db: Db,
	token: string,
	now = new Date()
): Promise<SessionInfo | null> {
	const parts = token.split('.');
	if (parts.length !== 2 || parts[0].length !== 24 || parts[1].length !== 24) return null;
	const [id, secret] = parts;
	const [row] = await db
		.select({
			id: sessions.id,
			userId: sessions.userId,
			createdAt: sessions.createdAt,
			expiresAt: sessions.expiresAt,
			secretHash: sessions.secretHash
		})
		.from(sessions)
		.where(eq(sessions.id, id))
		.limit(1);
	if (!row) return null;
	if (!constantTimeEqual(hashSecret(secret), row.secretHash)) return null;
	const absoluteEnd = row.createdAt.getTime() + SESSION_ABSOLUTE_MS;
	if (now.getTime() >= row.expiresAt.getTime() || now.getTime() >= absoluteEnd) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	const { secretHash: _hash, ...session } = row;
	if (row.expiresAt.getTime() - now.getTime() < RENEW_WHEN_LEFT_MS) {
		session.expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, absoluteEnd));
		await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id));
	}
	return session;
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user: on disabling the account or a password change. */
export async function invalidateUserSessions(db: Db, userId: number): Promise<void> {
	await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<void> {
	await db.delete(sessions).where(and(lt(sessions.expiresAt, now)));
}
