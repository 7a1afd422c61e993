import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { caseEvents, cases } from '../db/schema';
import type { CaseEventKind } from '../../enums';

/** One timeline row of a panel or session change. Staff-only unless `public`. */
export interface ActivityEntry {
	kind: CaseEventKind;
	note?: string | null;
	data: Record<string, string | number | boolean | null>;
	public?: boolean;
}

/**
 * Writes the timeline rows of a change and marks the case active (the stalled-case lists read
 * `lastActivityAt`). Call inside the change's transaction.
 */
export async function recordCaseActivity(tx: Db | Tx, caseId: number, actorId: number | null, now: Date, entries: ActivityEntry[]): Promise<void> {
	await tx.insert(caseEvents).values(
		entries.map((e) => ({ caseId, at: now, actorId, kind: e.kind, note: e.note ?? null, data: e.data, public: e.public ?? false }))
	);
	await tx.update(cases).set({ lastActivityAt: now }).where(eq(cases.id, caseId));
}
