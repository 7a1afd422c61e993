import { eq } from 'drizzle-orm';
import { hashToken } from '../agreements/tokens';
import type { Db, Tx } from '../db';
import { receptionRequests } from '../db/schema';
import { AppError } from '../errors';

const TOKEN = /^[a-z2-9]{24}$/;

/**
 * The cookie holding a petitioner's grant (a correct one-time code's), path `/`: the link's page reads
 * it, and so does the call socket's upgrade at `/call/reception:<id>`, which is not under the link.
 */
export const RECEPTION_GRANT_COOKIE = 'pingli_reception';

export interface ReceptionLinkRow {
	id: number;
	status: string;
	phone: string;
	scheduledAt: Date | null;
	linkExpiresAt: Date | null;
	grantHash: string | null;
	grantExpiresAt: Date | null;
}

/**
 * The scheduled request a link's token names. A malformed, unknown or replaced link is `not_found`;
 * a link past its time, or of a request already filed or cancelled, is `gone` (`conflict` with the
 * message), so the petitioner is told the link has ended rather than that it never was.
 */
export async function loadReceptionLink(db: Db | Tx, token: unknown, now: Date): Promise<ReceptionLinkRow> {
	if (typeof token !== 'string' || !TOKEN.test(token)) throw new AppError('not_found');
	const [row] = await db
		.select({
			id: receptionRequests.id,
			status: receptionRequests.status,
			phone: receptionRequests.phone,
			scheduledAt: receptionRequests.scheduledAt,
			linkExpiresAt: receptionRequests.linkExpiresAt,
			grantHash: receptionRequests.grantHash,
			grantExpiresAt: receptionRequests.grantExpiresAt
		})
		.from(receptionRequests)
		.where(eq(receptionRequests.linkTokenHash, hashToken(token)))
		.limit(1);
	if (!row) throw new AppError('not_found');
	if (!linkOpen(row, now)) throw new AppError('conflict', { _: 'rc_err_link_ended' });
	return row;
}

/** Whether a request's link still works: scheduled, and before its end. */
export function linkOpen(row: Pick<ReceptionLinkRow, 'status' | 'linkExpiresAt'>, now: Date): boolean {
	return row.status === 'scheduled' && row.linkExpiresAt != null && row.linkExpiresAt > now;
}

/** Whether a grant (issued for a correct code) belongs to this link and is fresh. */
export function receptionGrantValid(row: Pick<ReceptionLinkRow, 'grantHash' | 'grantExpiresAt'>, grant: string | undefined, now: Date): boolean {
	return Boolean(grant && row.grantHash && row.grantExpiresAt && row.grantExpiresAt > now && hashToken(grant) === row.grantHash);
}
