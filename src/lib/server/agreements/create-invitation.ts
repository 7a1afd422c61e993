import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { recordAudit } from '../audit/record-audit';
import type { Db } from '../db';
import { caseParties, signingInvitations } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { notify } from '../notices/notify';
import { PendingTexts } from '../notices/pending-texts';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import { loadAgreementCase, loadAgreementRow } from './agreement-case';
import { hashToken, randomToken } from './tokens';

export interface CreateInvitationOptions {
	/** The site's address, for the link. */
	origin: string;
	ip?: string;
	now?: Date;
	/** The provider the link is texted through (the configured one unless a test hands in its own). */
	sender?: SmsSender;
}

/**
 * Gives a party a personal signing link (for a party without an account). Any earlier link of the
 * same party stops working. The link is returned once, to show to the mediator; only its hash is
 * kept. When the party has a phone on file the link is also texted to them (through `sender`);
 * `texted` says whether that worked.
 */
export async function createInvitation(
	db: Db,
	actor: Viewer,
	input: { caseId: unknown; partyId: unknown },
	options: CreateInvitationOptions
): Promise<{ invitationId: number; link: string; texted: boolean }> {
	const { origin, ip, now = new Date(), sender = smsSender() } = options;
	const { row } = await loadAgreementCase(db, actor, input.caseId, 'run');
	const partyId = Number(input.partyId);
	const [party] = Number.isSafeInteger(partyId)
		? await db
				.select({ id: caseParties.id, phone: caseParties.phone, userId: caseParties.userId })
				.from(caseParties)
				.where(and(eq(caseParties.id, partyId), eq(caseParties.caseId, row.id)))
		: [];
	if (!party) throw new AppError('invalid', { partyId: 'err_ag_party_unknown' });
	const token = randomToken();
	const link = `${origin}/sign/${token}`;
	const texts = new PendingTexts();
	const result = await db.transaction(async (tx) => {
		const agreement = await loadAgreementRow(tx, row.id, true);
		if (agreement.status === 'effective') throw new AppError('conflict', { _: 'err_sign_closed' });
		await tx
			.update(signingInvitations)
			.set({ revokedAt: now, grantHash: null, grantExpiresAt: null })
			.where(and(eq(signingInvitations.agreementId, agreement.id), eq(signingInvitations.partyId, party.id), isNull(signingInvitations.revokedAt)));
		const [invitation] = await tx
			.insert(signingInvitations)
			.values({ agreementId: agreement.id, partyId: party.id, tokenHash: hashToken(token), createdById: actor.id, createdAt: now })
			.returning({ id: signingInvitations.id });
		await recordCaseActivity(tx, row.id, actor.id, now, [{ kind: 'agreement_invited', data: { agreementId: agreement.id, partyId: party.id } }]);
		await recordAudit(tx, {
			action: 'agreement.invite',
			actorId: actor.id,
			subjectType: 'agreement',
			subjectId: agreement.id,
			ip,
			data: { caseId: row.id, invitationId: invitation.id, partyId: party.id }
		});
		// In the app too, for a party with an account; the SMS with the personal link goes below.
		await notify(tx, { caseId: row.id, kind: 'signing_requested', payload: { caseNumber: row.number } }, [{ userId: party.userId, phone: null }], now, texts);
		return invitation;
	});
	await texts.send(db, now);
	// After the commit, and not fatal: the mediator is shown the link and can hand it over themselves.
	let texted = false;
	if (party.phone && !sender.unavailable) {
		try {
			await sender.send(db, { phone: party.phone, caseId: row.id, body: `【评理】请打开链接阅读并签署调解协议书：${link}`, template: { name: 'signing_link', params: { link } } }, now);
			texted = true;
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
		}
	}
	return { invitationId: result.id, link, texted };
}
