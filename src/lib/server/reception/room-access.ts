import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit';
import type { Caller, RoomSeat } from '../calls/rooms';
import { sessionAlive } from '../calls/session-alive';
import type { Db } from '../db';
import { receptionRequests } from '../db/schema';
import { AppError } from '../errors';
import { linkOpen, receptionGrantValid } from './reception-link';
import { receptionIdOf, requestInScope } from './scope';

/** The request's fields the petitioner's seat is checked on, by id (the room's), never by the link's token. */
async function linkById(db: Db, id: number) {
	const [row] = await db
		.select({
			name: receptionRequests.name,
			status: receptionRequests.status,
			linkExpiresAt: receptionRequests.linkExpiresAt,
			grantHash: receptionRequests.grantHash,
			grantExpiresAt: receptionRequests.grantExpiresAt
		})
		.from(receptionRequests)
		.where(eq(receptionRequests.id, id))
		.limit(1);
	return row ?? null;
}

/** Staff in scope of a request still scheduled (not filed, not cancelled). */
async function staffMayJoin(db: Db, caller: Extract<Caller, { kind: 'user' }>, id: number): Promise<boolean> {
	try {
		return (await requestInScope(db, caller.viewer, id)).status === 'scheduled';
	} catch (err) {
		if (err instanceof AppError) return false;
		throw err;
	}
}

/** The petitioner's grant (the `pingli_reception` cookie) belongs to this request, is fresh, and its link is open. */
async function petitionerMayJoin(db: Db, grant: string | undefined, id: number, now: Date): Promise<{ name: string } | null> {
	if (!grant) return null;
	const row = await linkById(db, id);
	return row && linkOpen(row, now) && receptionGrantValid(row, grant, now) ? { name: row.name } : null;
}

function audit(db: Db, seat: Pick<RoomSeat, 'actorId' | 'key'>, id: number, ip: string, seconds?: number) {
	const room = `reception:${id}`;
	const data = { room, peer: seat.key, invitationId: null };
	return db.transaction((tx) =>
		seconds === undefined
			? recordAudit(tx, { action: 'call.join', actorId: seat.actorId, subjectType: 'reception', subjectId: id, ip, data })
			: recordAudit(tx, { action: 'call.leave', actorId: seat.actorId, subjectType: 'reception', subjectId: id, ip, data: { ...data, seconds } })
	);
}

export interface ReceptionRoomAccessOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Who may join room `reception:<id>` (registered as the call kind `reception` in start-calls.ts):
 * staff who may see the request (`receptionVisibility`: the township office, county area staff, the
 * department on duty for the sitting) while it is scheduled, and the petitioner whose browser holds
 * the grant a correct code on that request's link gave, while link and grant are alive. Anything
 * else is null; the signalling server refuses without saying why. Joining and leaving are `call.join`
 * and `call.leave` audit rows on the request (no attendance: a reception is not a mediation session).
 * Every seat is checked again while the call lasts, so filing the matter or the link's end closes it.
 */
export async function receptionRoomAccess(db: Db, caller: Caller, rawId: unknown, options: ReceptionRoomAccessOptions = {}): Promise<RoomSeat | null> {
	const { now = new Date() } = options;
	let id: number;
	try {
		id = receptionIdOf(rawId);
	} catch {
		return null;
	}
	const subject = { type: 'reception', id };
	if (caller.kind === 'user') {
		if (!(await staffMayJoin(db, caller, id))) return null;
		const seat: RoomSeat = {
			key: `u:${caller.viewer.id}`,
			name: caller.viewer.name,
			role: 'staff',
			actorId: caller.viewer.id,
			invitationId: null,
			subject,
			joined: (db, ip) => audit(db, seat, id, ip),
			left: (db, ip, _now, seconds) => audit(db, seat, id, ip, seconds),
			stillValid: async (db, at) => (await sessionAlive(db, caller.sessionId, at)) && (await staffMayJoin(db, caller, id))
		};
		return seat;
	}
	const grant = caller.grants.reception;
	const petitioner = await petitionerMayJoin(db, grant, id, now);
	if (!petitioner) return null;
	const seat: RoomSeat = {
		key: `r:${id}`,
		name: petitioner.name,
		role: 'petitioner',
		actorId: null,
		invitationId: null,
		subject,
		joined: (db, ip) => audit(db, seat, id, ip),
		left: (db, ip, _now, seconds) => audit(db, seat, id, ip, seconds),
		stillValid: async (db, at) => Boolean(await petitionerMayJoin(db, grant, id, at))
	};
	return seat;
}
