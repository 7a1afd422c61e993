import { desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { agreementFrozenTexts, users, type Agreement } from '../db/schema';

/**
 * Keeps the frozen text an unfreeze is about to clear, with who froze and who unfroze it and why.
 * Called inside the unfreeze's transaction, so the text is kept exactly when it leaves the agreement.
 */
export async function keepFrozenText(tx: Tx, agreement: Agreement, by: { actorId: number; reason: string; at: Date }): Promise<void> {
	if (agreement.frozenText === null || agreement.frozenHash === null) return;
	await tx
		.insert(agreementFrozenTexts)
		.values({
			agreementId: agreement.id,
			revision: agreement.revision,
			text: agreement.frozenText,
			hash: agreement.frozenHash,
			frozenAt: agreement.frozenAt,
			frozenById: agreement.frozenById,
			unfrozenAt: by.at,
			unfrozenById: by.actorId,
			reason: by.reason
		})
		.onConflictDoNothing();
}

/** A frozen text that was unfrozen, as pages show it. */
export interface UnfrozenText {
	revision: number;
	text: string;
	hash: string;
	frozenAt: Date | null;
	unfrozenAt: Date;
	unfrozenBy: string | null;
	reason: string;
}

/** The most recently unfrozen text of an agreement, or null when it was never unfrozen. */
export async function lastUnfrozenText(db: Db | Tx, agreementId: number): Promise<UnfrozenText | null> {
	const [row] = await db
		.select({
			revision: agreementFrozenTexts.revision,
			text: agreementFrozenTexts.text,
			hash: agreementFrozenTexts.hash,
			frozenAt: agreementFrozenTexts.frozenAt,
			unfrozenAt: agreementFrozenTexts.unfrozenAt,
			unfrozenBy: users.name,
			reason: agreementFrozenTexts.reason
		})
		.from(agreementFrozenTexts)
		.leftJoin(users, eq(users.id, agreementFrozenTexts.unfrozenById))
		.where(eq(agreementFrozenTexts.agreementId, agreementId))
		.orderBy(desc(agreementFrozenTexts.revision))
		.limit(1);
	return row ?? null;
}
