import type { Viewer } from '../../types';
import type { Db } from '../db';

/**
 * The kinds of call rooms and who may join each. A room is named `<kind>:<id>` (`session:12`, and at
 * merge `reception:7` from the video reception desk); the signalling server knows nothing of cases:
 * it asks the kind's `access` for a seat and calls the seat's hooks on joining, leaving and while the
 * call lasts. A kind is registered once per process (src/lib/server/start-calls.ts).
 */

/** Who asks to join: a signed-in person, or someone holding a guest grant from a personal link. */
export type Caller =
	| { kind: 'user'; viewer: Viewer; sessionId: string }
	/**
	 * The grants correct one-time codes gave this browser, by room kind (`session`: the `pingli_call`
	 * cookie; `reception`: `pingli_reception`); each kind checks its own against its own links.
	 */
	| { kind: 'guest'; grants: Partial<Record<string, string>> };

/** A granted place in a room. */
export interface RoomSeat {
	/** The person's key in the room (`u:<userId>`, `g:<invitationId>`, `r:<requestId>`): one seat per person, a second tab replaces the first. */
	key: string;
	/** Shown to the others. */
	name: string;
	/** Their capacity, a message key suffix the client shows (mediator, panelist, party, …). */
	role: string;
	/** For audit rows: the acting account, or null for a guest. */
	actorId: number | null;
	invitationId: number | null;
	/** The audit subject of joining and leaving. */
	subject: { type: string; id: number };
	/** Records the joining (attendance, audit) in the kind's own terms. */
	joined(db: Db, ip: string, now: Date): Promise<void>;
	/** Records the leaving (audit). */
	left(db: Db, ip: string, now: Date, seconds: number): Promise<void>;
	/** Whether the seat still holds (session not ended, still on the case, link not expired); checked while the call lasts. */
	stillValid(db: Db, now: Date): Promise<boolean>;
}

/** Decides a caller's seat in room `<kind>:<id>`, or null to refuse (with no reason given to the caller). */
export type RoomAccess = (db: Db, caller: Caller, id: string) => Promise<RoomSeat | null>;

const kinds = new Map<string, RoomAccess>();

/** Registers a room kind; a second registration of a kind replaces the first (a module reloaded in development). */
export function registerRoomKind(kind: string, access: RoomAccess): void {
	if (!/^[a-z]{1,20}$/.test(kind)) throw new Error(`bad room kind ${kind}`);
	kinds.set(kind, access);
}

/** A room name as sent by a client: `<kind>:<id>`, a registered kind and a short id. */
export function parseRoomName(name: string): { kind: string; id: string; name: string } | null {
	const m = /^([a-z]{1,20}):([0-9]{1,15})$/.exec(name);
	if (!m || !kinds.has(m[1])) return null;
	return { kind: m[1], id: m[2], name };
}

/** The seat a caller gets in a room, or null. */
export async function seatFor(db: Db, caller: Caller, room: { kind: string; id: string }): Promise<RoomSeat | null> {
	const access = kinds.get(room.kind);
	return access ? access(db, caller, room.id) : null;
}
