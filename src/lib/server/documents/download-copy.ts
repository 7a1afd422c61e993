import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../types';
import { loadVisibleCase } from '../cases/work/case-snapshot';
import type { Db } from '../db';
import { agreements, caseParties } from '../db/schema';
import { AppError } from '../errors';
import { mayRunMediation } from '../cases/access';
import { agreementCopy, type AgreementCopy } from './agreement-copy';

export interface DownloadCopyOptions {
	/** The requester's address, for the audit row. */
	ip?: string;
}

/**
 * A signed-in viewer's download of a copy of the case's effective agreement. Art. 29: each party
 * keeps their own copy and the committee one, so a party gets only their own; whoever runs the
 * mediation gets any (the committee's file copy, or a party's to hand over on paper). Anyone else
 * who sees the case gets 403; outside the case's scope it does not exist (404).
 * `holder` is a party id, or "committee".
 */
export async function downloadCopy(
	db: Db,
	viewer: Viewer,
	caseId: unknown,
	holder: string,
	origin: string, options: DownloadCopyOptions = {}
): Promise<AgreementCopy> {
	const { ip } = options;
	const row = await loadVisibleCase(db, viewer, caseId);
	const [agreement] = await db.select().from(agreements).where(eq(agreements.caseId, row.id)).limit(1);
	if (!agreement) throw new AppError('not_found');
	const runs = mayRunMediation(viewer, row);
	let partyId: number | null = null;
	if (holder !== 'committee') {
		const id = Number(holder);
		const [party] = Number.isSafeInteger(id)
			? await db
					.select({ id: caseParties.id, userId: caseParties.userId })
					.from(caseParties)
					.where(and(eq(caseParties.id, id), eq(caseParties.caseId, row.id)))
					.limit(1)
			: [];
		if (!party) throw new AppError('not_found');
		if (!runs && party.userId !== viewer.id) throw new AppError('forbidden');
		partyId = party.id;
	} else if (!runs) {
		throw new AppError('forbidden');
	}
	return agreementCopy(db, agreement, partyId, { actorId: viewer.id, origin, ip });
}
