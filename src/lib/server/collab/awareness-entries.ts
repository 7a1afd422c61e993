import * as encoding from 'lib0/encoding';

/** Presence helpers of the collaboration server: attested users and re-encoded awareness updates. */

export interface AwarenessEntry {
	client: number;
	clock: number;
	state: unknown;
}

/** Whether a published `user` is exactly the attested one (same fields, same values). */
export function attested(user: unknown, identity: Readonly<Record<string, unknown>>): boolean {
	if (typeof user !== 'object' || user === null) return false;
	const keys = Object.keys(identity);
	if (Object.keys(user).length !== keys.length) return false;
	return keys.every((k) => (user as Record<string, unknown>)[k] === identity[k]);
}

/** An awareness update in y-protocols' encoding, from decoded entries. */
export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, entries.length);
	for (const { client, clock, state } of entries) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
		encoding.writeVarString(e, JSON.stringify(state));
	}
	return encoding.toUint8Array(e);
}
