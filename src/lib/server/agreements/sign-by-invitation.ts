import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { signingInvitations } from '../db/schema';
import { AppError } from '../errors';
import { recordSignature } from './record-signature';
import { grantValid, loadInvitation } from './signing-invitation';
import { parseDecision } from './signing-input';

export interface SignByInvitationOptions {
	/** The browser's User-Agent header, recorded with the signature. */
	userAgent?: string | null;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A party without an account signs (or refuses) through their personal link. The link alone is not
 * enough: the browser must hold the grant issued for a correct one-time code (电子签名法 art. 13: the
 * signature is under the signer's sole control — the link plus their phone). The grant ends with the
 * signature, so a link left open on a shared phone cannot sign again.
 */
export async function signByInvitation(
	db: Db,
	token: unknown,
	grant: string | undefined,
	raw: Record<string, unknown>,
	ip: string,
	options: SignByInvitationOptions = {}
): Promise<{ signatureId: number }> {
	const { userAgent, now = new Date() } = options;
	const inv = await loadInvitation(db, token);
	if (!grantValid(inv, grant, now)) throw new AppError('forbidden', { _: 'err_sign_code_needed' });
	const decision = parseDecision(raw);
	const result = await recordSignature(
		db,
		{
			caseId: inv.caseId,
			role: 'party',
			partyId: inv.partyId,
			userId: null,
			expectedName: inv.partyKind === 'person' ? inv.partyName : null,
			channel: 'invitation',
			phoneTail: inv.phone ? inv.phone.slice(-4) : null
		},
		decision,
		{ ip, userAgent },
		now
	);
	await db.update(signingInvitations).set({ grantHash: null, grantExpiresAt: null }).where(eq(signingInvitations.id, inv.invitationId));
	return result;
}
