import * as Y from 'yjs';
import { isSuggestionFormat, type UpdateTouch } from './suggestion-book';

/**
 * What a writer's update may claim. A Yjs update is structurally valid with any clock or length: a GC
 * struct of length 2^40 or a delete set naming 100,000 client ids costs a few bytes to send, is
 * stored, and is sent to every client that opens the record afterwards. Real editors never produce
 * them: each browser session is one new client id, its clock counts the characters it typed.
 */
export interface UpdateLimits {
	/** Client ids the document does not know yet, in one update (structs and delete set together). */
	maxNewClients: number;
	/** How far one update may move a client's clock past what the document holds. */
	maxClockAdvance: number;
	/** No clock may pass this (Yjs clocks are counts of items; 2^31 is far beyond any real record). */
	maxClock: number;
	/** The record's encoded size a writer may not push it past. */
	maxRecordBytes: number;
}

export const DEFAULT_UPDATE_LIMITS: UpdateLimits = {
	// An editor back from offline sends its own client ids of every page load meanwhile (and those of
	// other tabs that synced with it): a handful, not dozens.
	maxNewClients: 32,
	// A 2 MB frame of text is at most 2^21 characters; deleted and collected content carries no bytes,
	// so a generous multiple of that.
	maxClockAdvance: 2 ** 24,
	maxClock: 2 ** 31 - 1,
	maxRecordBytes: 2 * 1024 * 1024
};

/** Why the server refused a writer's update; the connection closes with the matching code. */
export class UpdateRejected extends Error {
	constructor(
		readonly kind: 'invalid' | 'too-large',
		message: string
	) {
		super(message);
	}
}

export interface UpdateSummary {
	/** Clients whose content the update carries (the writer is acknowledged for these when stored). */
	clients: number[];
	/** Whether it carries content at all (an update of deletions only can always be applied: it shrinks the record). */
	hasStructs: boolean;
	/** What it touches that could open or settle a suggestion (suggestion-book.ts). */
	touch: UpdateTouch;
}

/**
 * Decodes an update with Yjs' own decoder (which also validates its encoding) and checks its clocks
 * and client ids against the document's state. `known(client)` is the document's clock for a client
 * it holds, undefined for one it has never seen. Throws UpdateRejected, or Yjs' decoding error on a
 * malformed update.
 */
export function checkUpdate(update: Uint8Array, known: (client: number) => number | undefined, limits: UpdateLimits): UpdateSummary {
	const { structs, ds } = Y.decodeUpdate(update);
	const ends = new Map<number, number>();
	const fresh = new Set<number>();
	for (const s of structs) {
		const client = s.id.client;
		const end = s.id.clock + s.length;
		if (!(end <= limits.maxClock)) throw new UpdateRejected('invalid', `clock ${end} of client ${client} out of range`);
		const base = known(client);
		if (base === undefined) fresh.add(client);
		if (end - (base ?? 0) > limits.maxClockAdvance) throw new UpdateRejected('invalid', `client ${client} advances by ${end - (base ?? 0)}`);
		if (!(s instanceof Y.Skip) && end > (ends.get(client) ?? 0)) ends.set(client, end);
	}
	for (const [client, ranges] of ds.clients) {
		const base = known(client);
		if (base === undefined && !ends.has(client)) fresh.add(client);
		// Deletions reach what the document holds or this update brings, or content on its way from the
		// writer's other tabs or page loads (Yjs keeps those pending): within the same advance as content.
		const limit = Math.max(base ?? 0, ends.get(client) ?? 0) + limits.maxClockAdvance;
		for (const { clock, len } of ranges) {
			if (!(clock + len <= limit)) throw new UpdateRejected('invalid', `delete set of client ${client} reaches ${clock + len}`);
		}
		if (fresh.size > limits.maxNewClients) break;
	}
	if (fresh.size > limits.maxNewClients) throw new UpdateRejected('invalid', `${fresh.size} new client ids in one update`);
	return {
		clients: [...ends.keys()],
		hasStructs: structs.length > 0,
		touch: { deletes: ds.clients.size > 0, suggestionFormats: structs.some(isSuggestionFormat) }
	};
}
