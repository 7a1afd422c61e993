import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { randomInt } from 'node:crypto';

/** A signing link's or grant's secret: the session token's 120 random bits, safe in a URL. */
export { randomString as randomToken } from '../auth/session';

/** Only hashes of links, grants and codes are stored: a database read does not let anyone sign. */
export function hashToken(value: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(value)));
}

/** A uniformly random 6-digit code (leading zeros kept). */
export function randomCode(): string {
	return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A code's hash is salted with its invitation, so equal codes of two invitations differ in storage. */
export function hashCode(invitationId: number, code: string): string {
	return hashToken(`${invitationId}:${code}`);
}
