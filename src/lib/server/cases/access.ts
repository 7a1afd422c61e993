import type { Viewer } from '../../types';
import type { Db, Tx } from '../db';
import { AppError } from '../errors';
import { isAtOrBelow, isStudioMember } from './permissions';
import type { CaseStatus } from './states';
import { loadVisibleCase, type CaseRow } from './work/case-snapshot';

/**
 * Who may see and who may run a case's mediation, and whether it still takes panel and session work.
 * Panels, sessions, opinions, agreements, outcomes and the live records all ask these.
 */

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

/**
 * Who runs the mediation of a case (forms the panel, schedules and runs sessions): its assigned
 * mediator, a member mediator of the studio it is assigned to, or a mediator or supervisor whose place
 * covers the place handling it now. Department staff act by department, not by place (as in the case
 * grants), so they do not qualify by place.
 */
export function mayRunMediation(viewer: Viewer, c: { mediatorId: number | null; placePath: string; studioId?: number | null }): boolean {
	if (c.mediatorId !== null && c.mediatorId === viewer.id) return true;
	if (viewer.roles.some((r) => r.role === 'mediator') && isStudioMember(c.studioId, viewer.studioIds)) return true;
	const placeStaff = viewer.department === null && viewer.roles.some((r) => r.role === 'mediator' || r.role === 'supervisor');
	return placeStaff && isAtOrBelow(c.placePath, viewer.place.path);
}

/** A matter refused, concluded or filed away takes no new panel members or sessions. */
const CLOSED: readonly CaseStatus[] = ['not_accepted', 'concluded', 'follow_up', 'archived'];

export function isCaseOpen(status: CaseStatus): boolean {
	return !CLOSED.includes(status);
}

export function requireOpenCase(status: CaseStatus): void {
	if (!isCaseOpen(status)) throw new AppError('conflict', { _: 'err_pn_case_closed' });
}
