import { eq } from 'drizzle-orm';
import { grantValid, loadInvitation, signedInForce } from '../agreements/signing-invitation';
import type { Db } from '../db';
import { agreements } from '../db/schema';
import { AppError } from '../errors';
import { agreementCopy, type AgreementCopy } from './agreement-copy';

export interface DownloadCopyByInvitationOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A party without an account downloads their own copy through their personal signing link. The link
 * names the party, so it yields that party's copy and no other, and only once they have signed the
 * agreement now in force (art. 29: each party keeps a copy).
 *
 * Like signing, the link alone is not enough: the copy names the parties and their terms, and a link
 * travels (forwarded, seen over a shoulder, kept in a shared phone's history). The browser must hold
 * a grant from a fresh one-time code texted to the party's phone; the grant of the signature itself
 * ended with it. A link replaced or revoked by the mediator no longer works.
 */
export async function downloadCopyByInvitation(
	db: Db,
	token: unknown,
	grant: string | undefined,
	origin: string, options: DownloadCopyByInvitationOptions = {}
): Promise<AgreementCopy> {
	const { ip, now = new Date() } = options;
	const inv = await loadInvitation(db, token);
	if (!(await signedInForce(db, inv))) throw new AppError('forbidden');
	if (!grantValid(inv, grant, now)) throw new AppError('forbidden', { _: 'err_sign_code_needed' });
	const [agreement] = await db.select().from(agreements).where(eq(agreements.id, inv.agreementId)).limit(1);
	return agreementCopy(db, agreement, inv.partyId, { actorId: null, origin, ip }, { now });
}
