import { eq } from 'drizzle-orm';
import type { Viewer } from '../../../types';
import { loadVisibleCase, type CaseRow } from '../../cases/work/case-snapshot';
import type { CaseEventKind } from '../../cases/event-kinds';
import type { Db, Tx } from '../../db';
import { caseEvents, cases } from '../../db/schema';
import { AppError } from '../../errors';
import { mayRunMediation } from './rules';

/**
 * The case a panel or session page is about, looked up only among those the viewer may see (an id
 * outside that scope is `not_found`, exactly like a missing one). With `run`, the viewer must also
 * be the one running its mediation (`forbidden` otherwise: they can see it, so it is not a secret).
 */
export async function loadMediationCase(db: Db | Tx, viewer: Viewer, caseId: unknown, need: 'see' | 'run'): Promise<CaseRow> {
	const row = await loadVisibleCase(db, viewer, caseId);
	if (need === 'run' && !mayRunMediation(viewer, row)) throw new AppError('forbidden');
	return row;
}

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
