import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * zxcvbn's estimate, with its common-password lists (the most used passwords from breach corpora)
 * plus keyboard walks, sequences, repeats and dates. Built on first use: the dictionaries take a few
 * megabytes and only the admin's "set a password" paths need them, never the login.
 */
let factory: ZxcvbnFactory | undefined;

/** zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3;

/**
 * True when a password is on a breached/common list or is as easy to guess (OWASP ASVS 2.1.7):
 * `aaaaaaaaaaaa`, `123456789012`, `password1234`. The person's own name and login count as guessable
 * too when given.
 */
export function isWeakPassword(password: string, userInputs: string[] = []): boolean {
	factory ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
	// zxcvbn is quadratic in length; past 100 characters nothing is a dictionary word anyway.
	return factory.check(password.normalize('NFKC').slice(0, 100), userInputs.filter(Boolean)).score < MIN_SCORE;
}
