import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type { Peer } from '../../src/lib/server/collab/peer';
import { SavedAcks } from '../../src/lib/server/collab/saved-acks';

/** A peer that keeps what it is sent. */
function fakePeer(): Peer & { sent: Uint8Array[] } {
	const sent: Uint8Array[] = [];
	return {
		id: 1,
		userId: 1,
		canWrite: false,
		canSuggest: false,
		send: (frame) => sent.push(frame),
		sendFramed: () => {},
		writtenClients: new Set(),
		awarenessClients: new Set(),
		identity: null,
		sent
	};
}

/** A Yjs state vector (what a sync step 1 carries) claiming `clock` for each client. */
function stateVector(clients: number[], clock: number): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, clients.length);
	for (const c of clients) {
		encoding.writeVarUint(e, c);
		encoding.writeVarUint(e, clock);
	}
	return encoding.toUint8Array(e);
}

describe('SavedAcks', () => {
	it('tells a peer when edits it holds are stored, though another peer delivered them', () => {
		const [writer, relayer] = [fakePeer(), fakePeer()];
		const acks = new SavedAcks(new Set([writer, relayer]));
		acks.answerSync(writer, stateVector([7], 10));
		expect(writer.sent).toHaveLength(0);
		relayer.writtenClients.add(7);
		acks.storedBatch([{ update: new Uint8Array(), origin: relayer, at: 0 }], new Map([[7, 10]]));
		expect(writer.sent).toHaveLength(1);
		expect(relayer.sent).toHaveLength(1);
	});

	it('keeps the clients a peer claims through syncs bounded, however many state vectors it sends', () => {
		const peer = fakePeer();
		const acks = new SavedAcks(new Set([peer]));
		for (let round = 0; round < 50; round++) acks.answerSync(peer, stateVector(Array.from({ length: 100 }, (_, i) => round * 100 + i + 1), 5));
		expect(peer.writtenClients.size).toBe(32);
	});
});
