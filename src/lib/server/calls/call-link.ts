import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { callInvitations, caseParties, cases, mediationSessions } from '../db/schema';
import { AppError } from '../errors';
import { hashToken } from '../agreements/tokens';

/** The cookie holding a call grant (a correct one-time code's), sent with the call socket's upgrade. */
export const CALL_GRANT_COOKIE = 'pingli_call';
/** How long a personal call link stays open: the session day and the next, for a moved session. */
export const CALL_LINK_TTL_MS = 48 * 3600_000;
/** How long a verified guest may stay in calls before entering a new code: a long session. */
export const CALL_GRANT_TTL_MS = 6 * 3600_000;

export interface CallInvitationRow {
	invitationId: number;
	sessionId: number;
	sessionStatus: string;
	sessionSeq: number;
	caseId: number;
	caseNumber: string;
	partyId: number;
	partyName: string;
	phone: string | null;
	expiresAt: Date;
	codeHash: string | null;
	codeExpiresAt: Date | null;
	codeUsedAt: Date | null;
	grantExpiresAt: Date | null;
	attendanceId: number | null;
}

const TOKEN = /^[a-z2-9]{24}$/;

const columns = {
	invitationId: callInvitations.id,
	sessionId: mediationSessions.id,
	sessionStatus: mediationSessions.status,
	sessionSeq: mediationSessions.seq,
	caseId: cases.id,
	caseNumber: cases.number,
	partyId: caseParties.id,
	partyName: caseParties.name,
	phone: caseParties.phone,
	expiresAt: callInvitations.expiresAt,
	codeHash: callInvitations.codeHash,
	codeExpiresAt: callInvitations.codeExpiresAt,
	codeUsedAt: callInvitations.codeUsedAt,
	grantExpiresAt: callInvitations.grantExpiresAt,
	attendanceId: callInvitations.attendanceId
};

function select(db: Db | Tx) {
	return db
		.select(columns)
		.from(callInvitations)
		.innerJoin(mediationSessions, eq(mediationSessions.id, callInvitations.sessionId))
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.innerJoin(caseParties, eq(caseParties.id, callInvitations.partyId));
}

/** Whether a link still leads to a call: not expired, and its session not over. */
export function linkOpen(inv: Pick<CallInvitationRow, 'expiresAt' | 'sessionStatus'>, now: Date): boolean {
	return inv.expiresAt > now && (inv.sessionStatus === 'scheduled' || inv.sessionStatus === 'in_progress');
}

export interface LoadCallInvitationOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * The open invitation a link's token names, or `not_found`: for a malformed, unknown, replaced or
 * expired link alike, so a link reveals nothing about others.
 */
export async function loadCallInvitation(db: Db | Tx, token: unknown, options: LoadCallInvitationOptions = {}): Promise<CallInvitationRow> {
	const { now = new Date() } = options;
	if (typeof token !== 'string' || !TOKEN.test(token)) throw new AppError('not_found');
	const [row] = await select(db)
		.where(and(eq(callInvitations.tokenHash, hashToken(token)), isNull(callInvitations.revokedAt)))
		.limit(1);
	if (!row || !linkOpen(row, now)) throw new AppError('not_found');
	return row;
}

export interface InvitationByGrantOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/** The invitation a guest grant belongs to while grant and link are both alive, or null. */
export async function invitationByGrant(db: Db | Tx, grant: string, options: InvitationByGrantOptions = {}): Promise<CallInvitationRow | null> {
	const { now = new Date() } = options;
	if (!TOKEN.test(grant)) return null;
	const [row] = await select(db)
		.where(and(eq(callInvitations.grantHash, hashToken(grant)), isNull(callInvitations.revokedAt)))
		.limit(1);
	if (!row || !row.grantExpiresAt || row.grantExpiresAt <= now || !linkOpen(row, now)) return null;
	return row;
}
