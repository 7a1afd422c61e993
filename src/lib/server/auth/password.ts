import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane). */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** OWASP ASVS 2.1: at least 12 characters, at most 128, no composition rules. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password.normalize('NFKC'));
	} catch {
		// A malformed stored hash is a failed verification, not a crash of the login page.
		return false;
	}
}

/** A real hash of nothing, verified when the account does not exist so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
	dummyHash ??= hashPassword('pingli-dummy-password-for-timing');
	await verifyPassword(await dummyHash, password);
	return false;
}
