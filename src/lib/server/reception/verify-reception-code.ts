import { and, desc, eq, isNull } from 'drizzle-orm';
import { hashCode, hashToken } from '../agreements/tokens';
import { recordAudit } from '../audit/record-audit';
import { verifyOneTimeCode } from '../auth/one-time-code';
import type { Db } from '../db';
import { receptionCodes, receptionRequests } from '../db/schema';
import { loadReceptionLink } from './reception-link';
import { RECEPTION_CODE_TRY_PER_ADDRESS, RECEPTION_CODE_TRY_PER_REQUEST, RECEPTION_GRANT_TTL_MS } from './rules';

export interface VerifyReceptionCodeOptions {
	/** When it happens (the demo seed and tests set it; otherwise now). */
	now?: Date;
}

/**
 * Checks the one-time code as the signing link does (auth/one-time-code.ts) and returns a grant for
 * the browser's cookie, which the call socket carries too. The grant ends with the link at the latest.
 */
export async function verifyReceptionCode(db: Db, token: unknown, rawCode: unknown, ip: string, options: VerifyReceptionCodeOptions = {}): Promise<{ grant: string; expiresAt: Date }> {
	const { now = new Date() } = options;
	const link = await loadReceptionLink(db, token, now);
	return verifyOneTimeCode(db, rawCode, {
		ip,
		now,
		perLink: RECEPTION_CODE_TRY_PER_REQUEST,
		perAddress: RECEPTION_CODE_TRY_PER_ADDRESS,
		key: String(link.id),
		audit: (tx, reason) => recordAudit(tx, { action: 'reception.code_failed', actorId: null, subjectType: 'reception', subjectId: link.id, ip, data: { reason } }),
		stored: async () => {
			const [latest] = await db
				.select()
				.from(receptionCodes)
				.where(eq(receptionCodes.requestId, link.id))
				.orderBy(desc(receptionCodes.createdAt), desc(receptionCodes.id))
				.limit(1);
			return latest ?? null;
		},
		// Salted with the request, offset so it never equals a signing invitation's salt of the same number.
		hashCode: (code) => hashCode(-link.id, code),
		grantExpiresAt: new Date(Math.min(now.getTime() + RECEPTION_GRANT_TTL_MS, link.linkExpiresAt!.getTime())),
		claim: (latest, grant, expiresAt) =>
			db.transaction(async (tx) => {
				const used = await tx
					.update(receptionCodes)
					.set({ usedAt: now })
					.where(and(eq(receptionCodes.id, latest.id), isNull(receptionCodes.usedAt)))
					.returning({ id: receptionCodes.id });
				if (used.length === 0) return false;
				await tx.update(receptionRequests).set({ grantHash: hashToken(grant), grantExpiresAt: expiresAt }).where(eq(receptionRequests.id, link.id));
				return true;
			})
	});
}
