/** A connection as a document sees it. */
export interface Peer {
	readonly id: number;
	/** The signed-in person it is (the actor of what it settles: suggestion-book.ts); null before authentication. */
	readonly userId: number | null;
	readonly canWrite: boolean;
	/** A reader the document's policy lets suggest (not once the text is final, e.g. a frozen agreement). */
	readonly canSuggest: boolean;
	send(frame: Uint8Array): void;
	/** Sends messages framed once for every peer (wire.ts). */
	sendFramed(framed: Uint8Array): void;
	/** Clients whose edits this peer has sent (acknowledged to it when stored). */
	readonly writtenClients: Set<number>;
	/** Awareness client ids this peer speaks for (removed when it leaves). */
	readonly awarenessClients: Set<number>;
	/** The awareness `user` the server attests for this peer; null: none (shown as the client says). */
	readonly identity: Readonly<Record<string, unknown>> | null;
}

/** What an operator watches (src/lib/server/health/metrics.ts counts these for /metrics). */
export interface CollabMetrics {
	/** An update from a peer applied to a document. */
	updateIn(): void;
	/** Updates sent out: one per peer a fan-out frame carrying document updates went to. */
	updatesOut(peers: number): void;
	/** From receiving a peer's update to acknowledging it as stored, in ms. */
	savedAck(ms: number): void;
}
