import * as encoding from 'lib0/encoding';

/**
 * Yjs v1 updates written by hand: Yjs builds updates only from real edits, so an update claiming a GC
 * struct of length 2^40 or deletions for 100,000 client ids cannot be made through its API. The layout
 * is Yjs' (utils/encoding.js writeClientsStructs, utils/DeleteSet.js writeDeleteSet): per client the
 * number of structs, the client id and the first clock, then each struct (info byte 0 = GC, then its
 * length); then the delete set: per client its id and (clock, length) ranges.
 */
export function handUpdate(gcs: { client: number; clock: number; length: number }[], deletes: { client: number; ranges: [number, number][] }[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, gcs.length);
	for (const { client, clock, length } of gcs) {
		encoding.writeVarUint(e, 1);
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
		encoding.writeUint8(e, 0);
		encoding.writeVarUint(e, length);
	}
	encoding.writeVarUint(e, deletes.length);
	for (const { client, ranges } of deletes) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, ranges.length);
		for (const [clock, len] of ranges) {
			encoding.writeVarUint(e, clock);
			encoding.writeVarUint(e, len);
		}
	}
	return encoding.toUint8Array(e);
}

/** A delete set naming `count` client ids nobody has, one item each: the 1.2 MB update of the report. */
export const fakeClientsDeleteSet = (count: number, from = 1_000_000) =>
	handUpdate(
		[],
		Array.from({ length: count }, (_, i) => ({ client: from + i, ranges: [[0, 1]] as [number, number][] }))
	);
