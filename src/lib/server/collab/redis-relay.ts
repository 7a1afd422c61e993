import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { decodeSaved, writeClocks } from './protocol';
import type { CollabRelay, DocLink, RelayHandlers } from './relay';

/** Message kinds on a document's channel. */
const KIND = { update: 1, awareness: 2, stored: 3, syncRequest: 4 } as const;
/** Each message starts with its kind and the sending instance's id, so an instance skips its own. */
const HEADER = 1 + 8;

export interface RedisRelayOptions {
	url: string;
	/** Channel prefix, so several deployments (or test runs) can share one Redis. */
	prefix?: string;
	log?(event: string, detail: Record<string, unknown>): void;
}

/**
 * The relay over Redis pub/sub: one channel per open document, one connection to subscribe and one
 * to publish. When Redis goes away each instance keeps serving its own clients (publishing is dropped,
 * not queued); when it is back, every open document is told to resync, which catches up from the
 * database and asks the other instances for what it still lacks, so nothing depends on the messages
 * missed meanwhile.
 */
export function redisRelay(options: RedisRelayOptions): CollabRelay {
	const prefix = options.prefix ?? 'pingli:collab:';
	const log = options.log ?? (() => {});
	const instance = randomBytes(8);
	// Reconnect at least once a second, so documents reconverge within seconds of Redis returning.
	const retryStrategy = (times: number) => Math.min(100 * times, 1000);
	const pub = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, lazyConnect: false });
	const sub = new Redis(options.url, { maxRetriesPerRequest: null, retryStrategy, autoResubscribe: true });
	const docs = new Map<string, RelayHandlers>();
	let wasDown = false;
	// Documents may have missed messages: nothing goes out or comes in until Redis is ready, so this
	// holds from the start too (a restarted instance's clients come back at once, before the relay is).
	let behind = true;
	let closed = false;

	const channelOf = (docName: string) => `${prefix}doc:${docName}`;
	const up = () => pub.status === 'ready' && sub.status === 'ready';

	const onDown = (err?: unknown) => {
		if (closed) return;
		behind = true;
		if (wasDown) return;
		wasDown = true;
		log('relay_down', { error: err ? String(err) : 'connection closed' });
	};
	for (const conn of [pub, sub]) {
		conn.on('error', (err) => onDown(err));
		conn.on('close', () => onDown());
	}
	const onReady = () => {
		if (closed || !behind || !up()) return;
		behind = false;
		if (wasDown) log('relay_up', { documents: docs.size });
		wasDown = false;
		// Documents joined while Redis was not ready are subscribed here (ioredis renews earlier ones).
		if (docs.size > 0) void sub.subscribe(...[...docs.keys()].map(channelOf)).catch(() => {});
		for (const handlers of docs.values()) handlers.resync();
	};
	pub.on('ready', onReady);
	sub.on('ready', onReady);

	sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
		if (message.length < HEADER || message.subarray(1, HEADER).equals(instance)) return;
		const name = channel.toString().slice(prefix.length + 'doc:'.length);
		const handlers = docs.get(name);
		if (!handlers) return;
		const payload = new Uint8Array(message.buffer, message.byteOffset + HEADER, message.length - HEADER);
		try {
			switch (message[0]) {
				case KIND.update:
					return handlers.update(payload);
				case KIND.awareness:
					return handlers.awareness(payload);
				case KIND.stored:
					return handlers.stored(decodeSaved(decoding.createDecoder(payload)));
				case KIND.syncRequest:
					return handlers.syncRequest(payload);
			}
		} catch (err) {
			// Only instances of this deployment publish here; a message that cannot be applied is logged, not fatal.
			log('relay_message_failed', { docName: name, kind: message[0], error: String(err) });
		}
	});

	const publish = (docName: string, kind: number, payload: Uint8Array) => {
		if (!up()) return;
		const message = Buffer.allocUnsafe(HEADER + payload.length);
		message[0] = kind;
		instance.copy(message, 1);
		message.set(payload, HEADER);
		pub.publish(channelOf(docName), message).catch(() => onDown());
	};

	return {
		get up() {
			return up();
		},

		async join(docName, handlers) {
			docs.set(docName, handlers);
			// Not ready: the next 'ready' subscribes and resyncs it. A SUBSCRIBE queued while ioredis is
			// still connecting can race its handshake (INFO) and fail the connection (ioredis#2037).
			if (up()) await withTimeout(sub.subscribe(channelOf(docName)), 2_000).catch(() => {});
			const link: DocLink = {
				publishUpdate: (update) => publish(docName, KIND.update, update),
				publishAwareness: (update) => publish(docName, KIND.awareness, update),
				publishStored: (clocks) => publish(docName, KIND.stored, encodeClocks(clocks)),
				requestSync: (stateVector) => publish(docName, KIND.syncRequest, stateVector),
				leave() {
					if (docs.get(docName) !== handlers) return;
					docs.delete(docName);
					if (!closed) void sub.unsubscribe(channelOf(docName)).catch(() => {});
				}
			};
			return link;
		},

		async check(timeoutMs) {
			await withTimeout(pub.ping(), timeoutMs);
		},

		async close() {
			closed = true;
			docs.clear();
			pub.disconnect();
			sub.disconnect();
		}
	};
}

function encodeClocks(clocks: Map<number, number>): Uint8Array {
	const e = encoding.createEncoder();
	writeClocks(e, clocks);
	return encoding.toUint8Array(e);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	return Promise.race([
		promise,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
		})
	]).finally(() => clearTimeout(timer));
}
