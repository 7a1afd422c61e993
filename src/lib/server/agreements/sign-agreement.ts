import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import type { Db } from '../db';
import { caseParties } from '../db/schema';
import { AppError } from '../errors';
import { loadAgreementCase } from './agreement-case';
import { recordSignature } from './record-signature';
import { parseDecision } from './signing-input';

export interface SignAgreementOptions {
	/** The requester's address, recorded with the signature and in the audit row. */
	ip?: string;
	/** The browser's User-Agent header, recorded with the signature. */
	userAgent?: string | null;
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * A signed-in person signs (or refuses) the frozen agreement on its page: as one of the case's
 * parties whose account they are (`partyId`), or — with `partyId` empty — as the mediator running the
 * case, who signs last and applies the committee's seal.
 */
export async function signAgreement(
	db: Db,
	actor: Viewer,
	caseId: unknown,
	raw: Record<string, unknown>,
	options: SignAgreementOptions = {}
): Promise<{ signatureId: number; effective: boolean }> {
	const { ip, userAgent, now = new Date() } = options;
	const client = { ip, userAgent };
	const { row, access } = await loadAgreementCase(db, actor, caseId, 'see');
	const decision = parseDecision(raw);
	if (raw.partyId == null || raw.partyId === '') {
		if (!access.run) throw new AppError('forbidden');
		// The mediator is known by their account; their display name may carry a title ("调解员 王秀英"),
		// so the typed name is recorded as written rather than matched.
		return recordSignature(db, { caseId: row.id, role: 'mediator', partyId: null, userId: actor.id, expectedName: null, channel: 'account' }, decision, client, now);
	}
	const partyId = Number(raw.partyId);
	if (!access.ownPartyIds.includes(partyId)) throw new AppError('forbidden');
	const [party] = await db
		.select({ name: caseParties.name, kind: caseParties.kind })
		.from(caseParties)
		.where(and(eq(caseParties.id, partyId), eq(caseParties.caseId, row.id)));
	return recordSignature(
		db,
		{ caseId: row.id, role: 'party', partyId, userId: actor.id, expectedName: party.kind === 'person' ? party.name : null, channel: 'account' },
		decision,
		client,
		now
	);
}
