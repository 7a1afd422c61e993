import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { env } from '../env';

/**
 * The key that encrypts each committee's private signing key at rest (AES-256-GCM), derived with HKDF
 * from `SEALING_KEY`. The database alone (a dump, a backup) then yields no usable signing key.
 *
 * Without `SEALING_KEY`, on the embedded database only (development and the demo, where the data
 * directory is the whole installation), a random key is kept in `DATA_DIR/sealing.key` (mode 0600).
 * With PostgreSQL it must be set: there is no key, and uploads say so.
 */
export interface SealingKey {
	key: Buffer;
	/** A short hash of the key (never the key), stored beside what it encrypted. */
	id: string;
}

let cached: SealingKey | null | undefined;

function fromSecret(secret: Buffer): SealingKey {
	const key = Buffer.from(hkdfSync('sha256', secret, 'pingli-sealing', 'private keys v1', 32));
	return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 16) };
}

function keyFile(): Buffer {
	const path = join(env.dataDir, 'sealing.key');
	if (!existsSync(path)) {
		mkdirSync(env.dataDir, { recursive: true });
		writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
	}
	chmodSync(path, 0o600);
	return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
}

/** The sealing key of this installation, or null when none is configured. */
export function sealingKey(): SealingKey | null {
	if (cached !== undefined) return cached;
	if (env.SEALING_KEY) cached = fromSecret(Buffer.from(env.SEALING_KEY, 'base64'));
	else if (!env.DATABASE_URL && env.NODE_ENV !== 'test') cached = fromSecret(keyFile());
	else cached = null;
	return cached;
}

/** Encrypts a PKCS#8 private key: IV (12) ‖ ciphertext ‖ tag (16). */
export function encryptPrivateKey(key: SealingKey, pkcs8: Uint8Array): Uint8Array {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key.key, iv);
	// The key id is bound as associated data: a row cannot be moved under another key's name.
	cipher.setAAD(Buffer.from(key.id));
	const body = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
	return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
}

export function decryptPrivateKey(key: SealingKey, sealed: Uint8Array): Uint8Array {
	const buf = Buffer.from(sealed);
	const decipher = createDecipheriv('aes-256-gcm', key.key, buf.subarray(0, 12));
	decipher.setAAD(Buffer.from(key.id));
	decipher.setAuthTag(buf.subarray(buf.length - 16));
	return new Uint8Array(Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]));
}
