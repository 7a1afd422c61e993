import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { smsSender, type SmsSender } from '../sms/sms-sender';
import { recordAudit } from '../audit/record-audit';
import { dbRateLimiter, type RateLimitRule } from '../auth/rate-limit';
import type { Db } from '../db';
import { caseParties } from '../db/schema';
import { AppError } from '../errors';
import { recordCaseActivity } from '../cases/activity';
import { loadMediationCase } from '../cases/access';

/** Invitations per party: a lost text can be sent again, a phone is not flooded by a double click. */
export const INVITE_PER_PARTY: RateLimitRule = { name: 'party-invite', max: 3, windowMs: 60 * 60_000 };

/** A party of a case, as a form or a URL names it: both ids are checked against what the viewer may run. */
export interface PartyRef {
	caseId: unknown;
	partyId: unknown;
}

export interface SendPartyInvitationOptions {
	/** The site's address, for the sign-in page the text names. */
	origin: string;
	ip?: string;
	now?: Date;
	/** The provider the text goes through (the configured one unless a test hands in its own). */
	sender?: SmsSender;
}

/**
 * Staff who run the case text a party how to sign in: the page, and that the number this text came
 * to is the one to use. No code and no link that opens anything by itself: the party still proves the
 * phone with a code on the sign-in page.
 */
export async function sendPartyInvitation(db: Db, viewer: Viewer, input: PartyRef, options: SendPartyInvitationOptions) {
	const { caseId, partyId } = input;
	const { origin, ip, now = new Date(), sender = smsSender() } = options;
	const row = await loadMediationCase(db, viewer, caseId, 'run');
	const id = Number(partyId);
	if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
	const [party] = await db
		.select({ id: caseParties.id, phone: caseParties.phone, name: caseParties.name })
		.from(caseParties)
		.where(and(eq(caseParties.id, id), eq(caseParties.caseId, row.id)))
		.limit(1);
	if (!party) throw new AppError('not_found');
	if (!party.phone) throw new AppError('conflict', { _: 'pt_err_no_phone' });
	if (!(await dbRateLimiter(db, INVITE_PER_PARTY).consume(String(party.id)))) throw new AppError('rate_limited', { _: 'pt_err_invite_limited' });
	const phone = party.phone;
	if (sender.unavailable) throw new AppError('unavailable', { _: sender.unavailable });
	await db.transaction(async (tx) => {
		await recordAudit(tx, { action: 'case.party_invite', actorId: viewer.id, subjectType: 'case', subjectId: row.id, ip, data: { partyId: party.id, sender: sender.name } });
		await recordCaseActivity(tx, row.id, viewer.id, now, [{ kind: 'party_invite', data: { partyId: party.id } }]);
	});
	// After the commit: a provider's text cannot be called back. A failure reaches the staff member.
	const link = `${origin}/login/phone`;
	await sender.send(
		db,
		{
			phone,
			caseId: row.id,
			body: `【评理】${party.name}您好，您的纠纷（编号 ${row.number}）正在调解。打开 ${link} ，输入本手机号和短信验证码，就能看案件进展、调解笔录和协议。`,
			template: { name: 'notice', params: { what: `纠纷 ${row.number} 正在调解，可用本手机号登录查看`, link } }
		},
		now
	);
	return { partyId: party.id, phoneTail: phone.slice(-4) };
}
