import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { agreements } from '../db/schema';
import { loadCanonicalAgreement } from './agreement-content';
import { canonicalize } from './canonical-text';

/**
 * Whether a frozen or effective agreement's stored content (text fields, parties, terms) still
 * canonicalises to the text and hash that were frozen and signed. Pages show terms from the tables,
 * so a term edited in the database behind the application's back would otherwise read as in force.
 * Null for a draft, which has no frozen text to hold to. The same test as /verify's
 * (documents/verify-agreement.ts), for staff looking at the case.
 *
 * No access check: the caller has loaded the agreement for a viewer who may see it.
 */
export async function frozenContentIntact(db: Db | Tx, agreementId: number, caseNumber: string): Promise<boolean | null> {
	const [agreement] = await db.select().from(agreements).where(eq(agreements.id, agreementId)).limit(1);
	if (!agreement || agreement.status === 'draft' || agreement.frozenHash === null) return null;
	if (agreement.frozenText === null || agreement.committeePlaceId === null) return false;
	const content = await loadCanonicalAgreement(db, agreement, { caseNumber, committeePlaceId: agreement.committeePlaceId, revision: agreement.revision });
	const { text, hash } = canonicalize(content);
	return hash === agreement.frozenHash && text === agreement.frozenText;
}
