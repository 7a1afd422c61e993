import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { agreementSignatures, agreements, signingCodes } from '../db/schema';
import type { AgreementStatus } from '../db/schema/agreements';
import { grantValid, loadInvitation } from './signing-invitation';

/**
 * What a signing link shows. Before the one-time code is verified only the party's name, the case
 * number and the last four digits of the phone the code goes to; the agreement's text and hash only
 * with a valid grant (the text names the parties, so a forwarded link alone reveals nothing more).
 */
export interface SigningView {
	partyName: string;
	/** The name a person may confirm by tapping "我是 …" (null for an organisation, whose signer types a name). */
	confirmableName: string | null;
	caseNumber: string;
	status: AgreementStatus;
	phoneTail: string | null;
	codeSent: boolean;
	verified: boolean;
	/** In force, signed by this party, and a fresh code entered: the party's copy may be downloaded. */
	copyReady: boolean;
	answer: 'signed' | 'refused' | null;
	text: string | null;
	hash: string | null;
}

export interface LoadSigningViewOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

export async function loadSigningView(db: Db, token: unknown, grant: string | undefined, options: LoadSigningViewOptions = {}): Promise<SigningView> {
	const { now = new Date() } = options;
	const inv = await loadInvitation(db, token);
	const [[a], [answer], [code]] = await Promise.all([
		db.select({ status: agreements.status, text: agreements.frozenText, hash: agreements.frozenHash }).from(agreements).where(eq(agreements.id, inv.agreementId)),
		db
			.select({ refused: agreementSignatures.refused })
			.from(agreementSignatures)
			.where(and(eq(agreementSignatures.agreementId, inv.agreementId), eq(agreementSignatures.partyId, inv.partyId), isNull(agreementSignatures.voidedAt))),
		db.select({ id: signingCodes.id }).from(signingCodes).where(eq(signingCodes.invitationId, inv.invitationId)).limit(1)
	]);
	const verified = a.status === 'frozen' && grantValid(inv, grant, now);
	const copyReady = a.status === 'effective' && Boolean(answer && !answer.refused) && grantValid(inv, grant, now);
	return {
		partyName: inv.partyName,
		confirmableName: inv.partyKind === 'person' ? inv.partyName : null,
		caseNumber: inv.caseNumber,
		status: a.status,
		phoneTail: inv.phone ? inv.phone.slice(-4) : null,
		codeSent: Boolean(code),
		verified,
		copyReady,
		answer: answer ? (answer.refused ? 'refused' : 'signed') : null,
		text: verified ? a.text : null,
		hash: verified ? a.hash : null
	};
}
