/**
 * The call signalling protocol (issue 14), shared by the browser (src/lib/calls/) and the server
 * (src/lib/server/calls/signalling.ts). JSON text frames over `/call/<room>`. The server relays offers,
 * answers and ICE candidates between the peers of one room and tells everyone who is there and who
 * sends sound and picture; media never passes through it.
 */

/** A person in a call as the others see them. `id` is per connection, not an account id. */
export interface CallPeerInfo {
	id: string;
	name: string;
	/** mediator, panel_member, party, observer. */
	role: string;
	audio: boolean;
	video: boolean;
}

export interface IceServerInfo {
	urls: string[];
	username?: string;
	credential?: string;
}

/** Room limits: a full mesh sends every stream to everyone, so video stops at 6 and the room at 12. */
export const CALL_LIMITS = { people: 12, video: 6 } as const;

export type ClientMessage =
	| { t: 'sdp'; to: string; sdp: { type: 'offer' | 'answer'; sdp: string } }
	| { t: 'ice'; to: string; candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null; usernameFragment?: string | null } }
	| { t: 'state'; audio: boolean; video: boolean };

export type ServerMessage =
	| { t: 'welcome'; you: string; peers: CallPeerInfo[]; iceServers: IceServerInfo[]; relayed: boolean }
	| { t: 'joined'; peer: CallPeerInfo }
	| { t: 'left'; id: string }
	| { t: 'state'; id: string; audio: boolean; video: boolean }
	| { t: 'sdp'; from: string; sdp: { type: 'offer' | 'answer'; sdp: string } }
	| { t: 'ice'; from: string; candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null; usernameFragment?: string | null } }
	/** Six people already send video: this one's camera stays off. */
	| { t: 'video_full' };

/** Close codes the client turns into a message (and does not retry, except `shutdown`). */
export const CALL_CLOSE = {
	shutdown: 1001,
	badMessage: 4400,
	forbidden: 4403,
	/** The same person joined again (another tab or device): this connection gives way. */
	replaced: 4409,
	tooBig: 4413,
	roomFull: 4414,
	overBudget: 4429,
	tooManyConnections: 4430,
	failed: 4500
} as const;
