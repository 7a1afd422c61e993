import type { PartyKind } from '../../enums';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { agreementSignatures, agreements, caseParties, cases, signingInvitations } from '../db/schema';
import { AppError } from '../errors';
import { hashToken } from './tokens';

export interface InvitationRow {
	invitationId: number;
	agreementId: number;
	caseId: number;
	caseNumber: string;
	partyId: number;
	partyName: string;
	partyKind: PartyKind;
	phone: string | null;
	grantHash: string | null;
	grantExpiresAt: Date | null;
}

const TOKEN = /^[a-z2-9]{24}$/;

/** The cookie holding a signing grant, scoped to the path of its link (`/sign/<token>`). */
export const SIGNING_GRANT_COOKIE = 'pingli_sign';

/**
 * The open invitation a link's token names, or `not_found` — for a malformed, unknown or replaced
 * link alike, so a link reveals nothing about others.
 */
export async function loadInvitation(db: Db | Tx, token: unknown): Promise<InvitationRow> {
	if (typeof token !== 'string' || !TOKEN.test(token)) throw new AppError('not_found');
	const [row] = await db
		.select({
			invitationId: signingInvitations.id,
			agreementId: signingInvitations.agreementId,
			caseId: agreements.caseId,
			caseNumber: cases.number,
			partyId: caseParties.id,
			partyName: caseParties.name,
			partyKind: caseParties.kind,
			phone: caseParties.phone,
			grantHash: signingInvitations.grantHash,
			grantExpiresAt: signingInvitations.grantExpiresAt
		})
		.from(signingInvitations)
		.innerJoin(agreements, eq(agreements.id, signingInvitations.agreementId))
		.innerJoin(cases, eq(cases.id, agreements.caseId))
		.innerJoin(caseParties, eq(caseParties.id, signingInvitations.partyId))
		.where(and(eq(signingInvitations.tokenHash, hashToken(token)), isNull(signingInvitations.revokedAt)))
		.limit(1);
	if (!row) throw new AppError('not_found');
	return row;
}

/** Whether a grant (issued for a correct one-time code) is this invitation's and still fresh. */
export function grantValid(inv: Pick<InvitationRow, 'grantHash' | 'grantExpiresAt'>, grant: string | undefined, now: Date): boolean {
	return Boolean(grant && inv.grantHash && inv.grantExpiresAt && inv.grantExpiresAt > now && hashToken(grant) === inv.grantHash);
}

/**
 * Whether the agreement is in force and this invitation's party signed its current revision: then
 * the link may, with a fresh code, give the party their own copy (art. 29).
 */
export async function signedInForce(db: Db | Tx, inv: Pick<InvitationRow, 'agreementId' | 'partyId'>): Promise<boolean> {
	const [row] = await db
		.select({ id: agreementSignatures.id })
		.from(agreementSignatures)
		.innerJoin(agreements, eq(agreements.id, agreementSignatures.agreementId))
		.where(
			and(
				eq(agreementSignatures.agreementId, inv.agreementId),
				eq(agreements.status, 'effective'),
				eq(agreementSignatures.partyId, inv.partyId),
				eq(agreementSignatures.revision, agreements.revision),
				eq(agreementSignatures.refused, false),
				isNull(agreementSignatures.voidedAt)
			)
		)
		.limit(1);
	return Boolean(row);
}
