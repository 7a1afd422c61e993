import { and, eq, isNull } from 'drizzle-orm';
import { loadInvitation } from '../agreements/signing-invitation';
import type { Db } from '../db';
import { agreements, agreementSignatures } from '../db/schema';
import { AppError } from '../errors';
import { agreementCopy, type AgreementCopy } from './agreement-copy';

/**
 * A party without an account downloads their own copy through their personal signing link. The link
 * names the party, so it yields that party's copy and no other, and only once they have signed the
 * agreement now in force (art. 29: each party keeps a copy).
 *
 * The link alone suffices here, unlike for signing: the one-time code's grant ends with the signature
 * and no code can be sent once the agreement is in force, and the party's copy is what the link's
 * holder has just signed (identity numbers on it are masked). A link replaced or revoked by the
 * mediator no longer works.
 */
export async function downloadCopyByInvitation(
	db: Db,
	token: unknown,
	origin: string,
	ip?: string,
	now = new Date()
): Promise<AgreementCopy> {
	const inv = await loadInvitation(db, token);
	const [agreement] = await db.select().from(agreements).where(eq(agreements.id, inv.agreementId)).limit(1);
	const [signed] = await db
		.select({ id: agreementSignatures.id })
		.from(agreementSignatures)
		.where(
			and(
				eq(agreementSignatures.agreementId, agreement.id),
				eq(agreementSignatures.partyId, inv.partyId),
				eq(agreementSignatures.revision, agreement.revision),
				eq(agreementSignatures.refused, false),
				isNull(agreementSignatures.voidedAt)
			)
		)
		.limit(1);
	if (!signed) throw new AppError('forbidden');
	return agreementCopy(db, agreement, inv.partyId, { actorId: null, origin, ip }, now);
}
