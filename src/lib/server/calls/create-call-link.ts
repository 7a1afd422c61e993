import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import { hashToken, randomToken } from '../agreements/tokens';
import type { Db } from '../db';
import { callInvitations, caseParties } from '../db/schema';
import { AppError } from '../errors';
import { loadSession } from '../mediation/sessions/load-session';
import { CALL_LINK_TTL_MS } from './call-link';

export interface CreateCallLinkOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
	/** Sends the text messages (tests pass a fake). */
	sender?: SmsSender;
}

/**
 * Gives a party without an account a personal link to a session's call, for the mediator who runs
 * the case. An earlier link of the same party for the same session stops working. Only the token's
 * hash is kept; the link is returned once to show the mediator and, with a phone on file, texted to
 * the party. Opening it asks for a one-time code sent to that phone (send-call-code.ts).
 */
export async function createCallLink(
	db: Db,
	actor: Viewer,
	sessionId: unknown,
	rawPartyId: unknown,
	origin: string, options: CreateCallLinkOptions = {}
): Promise<{ invitationId: number; link: string; expiresAt: Date; texted: boolean }> {
	const { ip, now = new Date(), sender = smsSender() } = options;
	const { session, case: row } = await loadSession(db, actor, sessionId, 'run');
	if (session.status !== 'scheduled' && session.status !== 'in_progress') throw new AppError('conflict', { _: 'call_err_session_over' });
	const partyId = Number(rawPartyId);
	const [party] = Number.isSafeInteger(partyId)
		? await db
				.select({ id: caseParties.id, phone: caseParties.phone })
				.from(caseParties)
				.where(and(eq(caseParties.id, partyId), eq(caseParties.caseId, row.id)))
		: [];
	if (!party) throw new AppError('invalid', { partyId: 'call_err_party_unknown' });
	const token = randomToken();
	const link = `${origin}/join/${token}`;
	const expiresAt = new Date(now.getTime() + CALL_LINK_TTL_MS);
	const invitation = await db.transaction(async (tx) => {
		await tx
			.update(callInvitations)
			.set({ revokedAt: now, grantHash: null, grantExpiresAt: null })
			.where(and(eq(callInvitations.sessionId, session.id), eq(callInvitations.partyId, party.id), isNull(callInvitations.revokedAt)));
		const [created] = await tx
			.insert(callInvitations)
			.values({ sessionId: session.id, partyId: party.id, tokenHash: hashToken(token), expiresAt, createdById: actor.id, createdAt: now })
			.returning({ id: callInvitations.id });
		await recordAudit(tx, {
			action: 'call.invite',
			actorId: actor.id,
			subjectType: 'mediation_session',
			subjectId: session.id,
			ip,
			data: { caseId: row.id, invitationId: created.id, partyId: party.id, expiresAt: expiresAt.toISOString() }
		});
		return created;
	});
	// After the commit, and not fatal: the mediator sees the link and can read it out or send it.
	let texted = false;
	if (party.phone && !sender.unavailable) {
		try {
			await sender.send(db, { phone: party.phone, caseId: row.id, body: `【评理】请打开链接加入调解视频通话：${link}`, template: { name: 'signing_link', params: { link } } }, now);
			texted = true;
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
		}
	}
	return { invitationId: invitation.id, link, expiresAt, texted };
}
