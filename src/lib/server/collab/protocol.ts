import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

/** y-websocket message types, plus our own "saved" acknowledgement. */
export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const MSG_AUTH = 2;
export const MSG_QUERY_AWARENESS = 3;
/**
 * Sent by our server only: which of the client's edits are durably stored, as (clientID, clock)
 * pairs of the stored state vector. A client is "saved" when the stored clock for its own clientID
 * reaches its local clock. Clients that do not know the type ignore it.
 */
export const MSG_SAVED = 7;
/**
 * Sent by our server only: whether storing edits fails now (1) or works again (0). While it fails the
 * server keeps the edits and withholds "saved"; the client says its edits are not saved yet.
 */
export const MSG_STORE_STATUS = 8;

const toBytes = (write: (e: encoding.Encoder) => void): Uint8Array => {
	const e = encoding.createEncoder();
	write(e);
	return encoding.toUint8Array(e);
};

export const encodeSyncStep1 = (doc: Y.Doc) =>
	toBytes((e) => {
		encoding.writeVarUint(e, MSG_SYNC);
		syncProtocol.writeSyncStep1(e, doc);
	});

export const encodeUpdate = (update: Uint8Array) =>
	toBytes((e) => {
		encoding.writeVarUint(e, MSG_SYNC);
		syncProtocol.writeUpdate(e, update);
	});

export const encodeAwareness = (awareness: awarenessProtocol.Awareness, clients: number[]) =>
	toBytes((e) => {
		encoding.writeVarUint(e, MSG_AWARENESS);
		encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	});

/** y-protocols' auth message: the client provider reports "permission denied" with the reason. */
export const encodePermissionDenied = (reason: string) =>
	toBytes((e) => {
		encoding.writeVarUint(e, MSG_AUTH);
		encoding.writeVarUint(e, 0);
		encoding.writeVarString(e, reason);
	});

export const encodeSaved = (clocks: Iterable<[number, number]>) =>
	toBytes((e) => {
		encoding.writeVarUint(e, MSG_SAVED);
		writeClocks(e, clocks);
	});

export const encodeStoreStatus = (failing: boolean) =>
	toBytes((e) => {
		encoding.writeVarUint(e, MSG_STORE_STATUS);
		encoding.writeVarUint(e, failing ? 1 : 0);
	});

/** (clientID, clock) pairs: a count, then each pair as two varuints. */
export function writeClocks(e: encoding.Encoder, clocks: Iterable<[number, number]>): void {
	const entries = [...clocks];
	encoding.writeVarUint(e, entries.length);
	for (const [client, clock] of entries) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
	}
}

/** Reads what `writeClocks` wrote (the body of a "saved" message). */
export function decodeSaved(decoder: decoding.Decoder): Map<number, number> {
	const n = decoding.readVarUint(decoder);
	const out = new Map<number, number>();
	for (let i = 0; i < n; i++) out.set(decoding.readVarUint(decoder), decoding.readVarUint(decoder));
	return out;
}

/** A decoded client message, validated enough that applying it cannot throw half-way. */
export type ClientMessage =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array }
	| { type: 'query-awareness' };

/**
 * Parses one frame. Throws on anything malformed: unknown types, truncated varints, lengths past the
 * end of the frame, or trailing bytes. The caller closes that one connection.
 */
export function parseClientMessage(frame: Uint8Array): ClientMessage {
	const d = decoding.createDecoder(frame);
	const type = decoding.readVarUint(d);
	let message: ClientMessage;
	if (type === MSG_SYNC) {
		const sub = decoding.readVarUint(d);
		const payload = decoding.readVarUint8Array(d);
		if (sub === syncProtocol.messageYjsSyncStep1) message = { type: 'sync-step1', stateVector: payload };
		else if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate) message = { type: 'update', update: payload };
		else throw new Error(`unknown sync message ${sub}`);
	} else if (type === MSG_AWARENESS) {
		message = { type: 'awareness', update: decoding.readVarUint8Array(d) };
	} else if (type === MSG_QUERY_AWARENESS) {
		message = { type: 'query-awareness' };
	} else {
		throw new Error(`unknown message type ${type}`);
	}
	if (decoding.hasContent(d)) throw new Error('trailing bytes');
	return message;
}
