import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { encodePermissionDenied, parseClientMessage } from './protocol';
import type { Peer, SharedDoc } from './shared-doc';

/** What authentication grants a connection. */
export interface Grant {
	userId: number;
	sessionId: string;
	access: 'write' | 'read';
	/**
	 * The awareness `user` field this connection is attested as (e.g. id, name, colour, role). Any
	 * other `user` the client publishes is replaced by it, so nobody can appear as someone else.
	 */
	identity?: Readonly<Record<string, unknown>>;
}

export interface ConnectionLimits {
	/** Frames accepted while authenticating; one more closes the connection. */
	maxQueuedFrames: number;
	/** Time allowed to authenticate and load the document. */
	authTimeoutMs: number;
	/** Outgoing bytes buffered for a slow client before it is dropped. */
	maxBufferedBytes: number;
}

export interface ConnectionHooks {
	authenticate(): Promise<Grant | null>;
	openDoc(): Promise<SharedDoc>;
	onClose(connection: Connection): void;
	log(event: string, detail: Record<string, unknown>): void;
}

/**
 * Close codes (RFC 6455 private range). 4400–4499 tell y-websocket clients not to reconnect: the
 * client's own doing. 45xx are the server's trouble (a slow database, a slow link): clients retry.
 */
export const CLOSE = {
	malformed: 4400,
	unauthorized: 4401,
	forbidden: 4403,
	tooManyFrames: 4429,
	slowConsumer: 4503,
	/** Signing in (session, case access, loading the record) took longer than the limit. */
	authTimeout: 4504,
	shutdown: 1012
} as const;

let nextId = 1;

/**
 * One WebSocket: authenticates (queueing at most `maxQueuedFrames` early frames), joins the
 * document, then parses each frame and hands it to the document. A malformed frame closes this
 * connection only; the document and the other peers carry on.
 */
export class Connection implements Peer {
	readonly id = nextId++;
	readonly writtenClients = new Set<number>();
	readonly awarenessClients = new Set<number>();
	grant: Grant | null = null;
	doc: SharedDoc | null = null;
	private queue: Uint8Array[] = [];
	private closed = false;

	constructor(
		readonly ws: WebSocket,
		/** The upgraded socket under `ws`, for messages framed once for every peer (see wire.ts). */
		private readonly socket: Duplex,
		readonly docName: string,
		private readonly limits: ConnectionLimits,
		private readonly hooks: ConnectionHooks
	) {
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary));
		ws.on('close', () => this.cleanup());
		ws.on('error', () => this.close(CLOSE.malformed, 'socket error'));
		void this.start();
	}

	get canWrite(): boolean {
		return this.grant?.access === 'write';
	}

	get identity(): Readonly<Record<string, unknown>> | null {
		return this.grant?.identity ?? null;
	}

	send(frame: Uint8Array): void {
		if (this.writable()) this.ws.send(frame);
	}

	/**
	 * Writes messages already framed (the same buffer for every peer of a fan-out). ws writes each of
	 * its own frames to the socket whole and synchronously (no compression, no queued Blob data), so a
	 * whole frame written between two of them never splits one.
	 */
	sendFramed(framed: Uint8Array): void {
		if (this.writable()) this.socket.write(framed);
	}

	private writable(): boolean {
		if (this.closed || this.ws.readyState !== this.ws.OPEN) return false;
		if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
			this.hooks.log('slow_consumer', { docName: this.docName, userId: this.grant?.userId });
			this.close(CLOSE.slowConsumer, 'too slow');
			return false;
		}
		return true;
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.cleanup();
		try {
			this.ws.close(code, reason);
		} catch {
			this.ws.terminate();
		}
	}

	private async start(): Promise<void> {
		const timer = setTimeout(() => this.close(CLOSE.authTimeout, 'authentication timeout'), this.limits.authTimeoutMs);
		try {
			const grant = await this.hooks.authenticate();
			if (this.closed) return;
			if (!grant) {
				// The refusal carries no document content.
				this.ws.send(encodePermissionDenied('not allowed'));
				this.close(CLOSE.forbidden, 'forbidden');
				return;
			}
			this.grant = grant;
			const doc = await this.hooks.openDoc();
			if (this.closed) return;
			this.doc = doc;
			doc.addPeer(this);
			const early = this.queue;
			this.queue = [];
			for (const frame of early) this.process(frame);
		} catch (err) {
			this.hooks.log('connection_start_failed', { docName: this.docName, error: String(err) });
			this.close(CLOSE.slowConsumer, 'try again');
		} finally {
			clearTimeout(timer);
		}
	}

	private onFrame(data: Buffer, isBinary: boolean): void {
		if (this.closed) return;
		if (!isBinary) return this.close(CLOSE.malformed, 'binary frames only');
		const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
		if (!this.doc) {
			if (this.queue.length >= this.limits.maxQueuedFrames) return this.close(CLOSE.tooManyFrames, 'too many frames before authentication');
			this.queue.push(frame);
			return;
		}
		this.process(frame);
	}

	private process(frame: Uint8Array): void {
		if (this.closed || !this.doc) return;
		try {
			this.doc.handle(this, parseClientMessage(frame));
		} catch (err) {
			this.hooks.log('malformed_frame', { docName: this.docName, userId: this.grant?.userId, error: String(err) });
			this.close(CLOSE.malformed, 'malformed message');
		}
	}

	private cleanup(): void {
		if (this.closed) return;
		this.closed = true;
		this.queue = [];
		this.doc?.removePeer(this);
		this.hooks.onClose(this);
	}
}
