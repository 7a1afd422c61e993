/**
 * How instances of the collaboration server share live documents. Each instance keeps its own Y.Doc
 * per open document and its own clients; a relay carries between instances what each one accepted from
 * its clients (document updates and presence), what it stored, and requests to catch up. Without a
 * relay (one instance) nothing changes. The Redis implementation is in redis-relay.ts.
 */

/** What a document does with messages from other instances. */
export interface RelayHandlers {
	/** Document content another instance accepted (or sent to let this one catch up). */
	update(update: Uint8Array): void;
	/** Presence (y-protocols awareness update) another instance accepted from its clients. */
	awareness(update: Uint8Array): void;
	/** Another instance stored content up to these clocks (clientID → clock). */
	stored(clocks: Map<number, number>): void;
	/** Another instance has this state vector and asks for what it lacks. */
	syncRequest(stateVector: Uint8Array): void;
	/** Messages may have been missed (the relay was down and is back): catch up from the store and peers. */
	resync(): void;
}

/** One document's link to the other instances. Publishing never throws: a message that cannot go is dropped (resync covers it). */
export interface DocLink {
	publishUpdate(update: Uint8Array): void;
	publishAwareness(update: Uint8Array): void;
	publishStored(clocks: Map<number, number>): void;
	requestSync(stateVector: Uint8Array): void;
	/** Stops receiving this document's messages (it is unloaded). */
	leave(): void;
}

export interface CollabRelay {
	/**
	 * Starts receiving a document's messages. Resolves once subscribed, or at once when the relay is down
	 * (the subscription follows when it is back, with a resync).
	 */
	join(docName: string, handlers: RelayHandlers): Promise<DocLink>;
	/** Whether messages flow now. */
	readonly up: boolean;
	/** Rejects when the relay does not answer within `timeoutMs` (readiness). */
	check(timeoutMs: number): Promise<void>;
	close(): Promise<void>;
}
