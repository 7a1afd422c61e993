import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { SocketBudget, type BudgetKind, type BudgetLimits } from './budget';
import { encodePermissionDenied, parseClientMessage, type ClientMessage } from './protocol';
import type { DocName } from './doc-name';
import type { Peer, SharedDoc } from './shared-doc';
import { UpdateRejected } from './update-guard';

/** What authentication grants a connection. */
export interface Grant {
	userId: number;
	sessionId: string;
	/**
	 * 'view': reads and may not even suggest (issue 15: a frozen agreement's text); a 'read' peer may
	 * suggest if the document's suggester rule allows it (shared-doc.ts).
	 */
	access: 'write' | 'read' | 'view';
	/**
	 * The awareness `user` field this connection is attested as (e.g. id, name, colour, role). Any
	 * other `user` the client publishes is replaced by it, so nobody can appear as someone else.
	 */
	identity?: Readonly<Record<string, unknown>>;
}

export interface ConnectionLimits {
	/** Frames accepted while authenticating; one more closes the connection. */
	maxQueuedFrames: number;
	/** Bytes of those frames (they are held before any budget applies). */
	maxQueuedBytes: number;
	/** Time allowed to authenticate and load the document. */
	authTimeoutMs: number;
	/** Outgoing bytes buffered for a slow client before it is dropped. */
	maxBufferedBytes: number;
	/** Per-socket token buckets per kind of message (budget.ts). */
	budgets: BudgetLimits;
}

export interface ConnectionHooks {
	authenticate(): Promise<Grant | null>;
	/** Counts the connection against its person's cap before it joins; false refuses it. */
	admit(grant: Grant): boolean;
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
	/** The person (or the client address) has too many sockets open. */
	tooManyConnections: 4409,
	/** A writer's update would push the record past its size cap; the update is not applied. */
	recordTooLarge: 4413,
	/** A writer's update claims impossible clocks, lengths or client ids (update-guard.ts). */
	updateRejected: 4422,
	/** Over a message budget (budget.ts), or too many frames before authentication. */
	tooManyFrames: 4429,
	slowConsumer: 4503,
	/** Signing in (session, case access, loading the record) took longer than the limit. */
	authTimeout: 4504,
	shutdown: 1012
} as const;

let nextId = 1;

const BUDGET_OF: Record<ClientMessage['type'], BudgetKind> = {
	'sync-step1': 'sync',
	'query-awareness': 'queryAwareness',
	update: 'update',
	awareness: 'awareness'
};

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
	private queuedBytes = 0;
	private closed = false;
	private readonly budget: SocketBudget;
	/** Bytes this connection sent its own client (replies), for the cost of the message that caused them. */
	private repliedBytes = 0;

	constructor(
		readonly ws: WebSocket,
		/** The upgraded socket under `ws`, for messages framed once for every peer (see wire.ts). */
		private readonly socket: Duplex,
		/** The document's name, parsed once at the upgrade. */
		readonly name: DocName,
		private readonly limits: ConnectionLimits,
		private readonly hooks: ConnectionHooks
	) {
		this.budget = new SocketBudget(limits.budgets, performance.now());
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary));
		ws.on('close', () => this.cleanup());
		ws.on('error', () => this.close(CLOSE.malformed, 'socket error'));
		void this.start();
	}

	get docName(): string {
		return this.name.name;
	}

	get userId(): number | null {
		return this.grant?.userId ?? null;
	}

	get canWrite(): boolean {
		return this.grant?.access === 'write';
	}

	get canSuggest(): boolean {
		return this.grant?.access === 'read';
	}

	get identity(): Readonly<Record<string, unknown>> | null {
		return this.grant?.identity ?? null;
	}

	send(frame: Uint8Array): void {
		this.repliedBytes += frame.length;
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
			if (!this.hooks.admit(grant)) {
				this.close(CLOSE.tooManyConnections, 'too many connections');
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
			this.queuedBytes += frame.length;
			if (this.queue.length >= this.limits.maxQueuedFrames || this.queuedBytes > this.limits.maxQueuedBytes)
				return this.close(CLOSE.tooManyFrames, 'too many frames before authentication');
			this.queue.push(frame);
			return;
		}
		this.process(frame);
	}

	private process(frame: Uint8Array): void {
		if (this.closed || !this.doc) return;
		let message: ClientMessage;
		try {
			message = parseClientMessage(frame);
		} catch (err) {
			return this.malformed(err);
		}
		const kind = BUDGET_OF[message.type];
		const bucket = this.budget.bucket(kind);
		const now = performance.now();
		// Incoming bytes are known before the work; a reply's size only after it, so a reply may
		// overdraw once and the next request waits for the refill.
		const replies = kind === 'sync' || kind === 'queryAwareness';
		if (replies ? !bucket.hasCredit(now) : !bucket.take(frame.length, now)) {
			this.hooks.log('over_budget', { docName: this.docName, userId: this.grant?.userId, kind });
			return this.close(CLOSE.tooManyFrames, 'over budget');
		}
		this.repliedBytes = 0;
		try {
			this.doc.handle(this, message);
		} catch (err) {
			if (!(err instanceof UpdateRejected)) return this.malformed(err);
			this.hooks.log(err.kind === 'too-large' ? 'record_too_large' : 'update_rejected', {
				docName: this.docName,
				userId: this.grant?.userId,
				reason: err.message
			});
			return err.kind === 'too-large' ? this.close(CLOSE.recordTooLarge, 'record too large') : this.close(CLOSE.updateRejected, 'update rejected');
		}
		if (replies) bucket.charge(this.repliedBytes);
	}

	private malformed(err: unknown): void {
		this.hooks.log('malformed_frame', { docName: this.docName, userId: this.grant?.userId, error: String(err) });
		this.close(CLOSE.malformed, 'malformed message');
	}

	private cleanup(): void {
		if (this.closed) return;
		this.closed = true;
		this.queue = [];
		this.doc?.removePeer(this);
		this.hooks.onClose(this);
	}
}
