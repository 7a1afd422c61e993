import type { Viewer } from '../../types';
import { isAtOrBelow } from '../cases/permissions';
import type { CaseStatus } from '../cases/states';

/**
 * Pure rules of the named mediation studios (品牌调解工作室, issue 13 part 1): who sees a studio, who
 * keeps it, who assigns a matter to it and which matters it may take. No database here.
 */

const has = (viewer: Viewer, role: string) => viewer.roles.some((r) => r.role === role);

/**
 * Whether two places lie on one line of the place tree (one is the other or above it). A county studio
 * serves the whole county; a township studio its township; a township's people see the county's
 * studios and their own, not another township's.
 */
export function onOneLine(a: string, b: string): boolean {
	return isAtOrBelow(a, b) || isAtOrBelow(b, a);
}

/** Place staff (supervisors, mediators, administrators) of a place on the studio's line, and its members. */
export function mayViewStudio(viewer: Viewer, studio: { id: number; placePath: string }): boolean {
	if (viewer.studioIds?.includes(studio.id)) return true;
	const staff = viewer.department === null && (has(viewer, 'supervisor') || has(viewer, 'mediator') || has(viewer, 'admin'));
	return staff && onOneLine(viewer.place.path, studio.placePath);
}

/** Whether the studios pages are for this viewer at all. */
export function mayListStudios(viewer: Viewer): boolean {
	return (viewer.studioIds?.length ?? 0) > 0 || (viewer.department === null && ['supervisor', 'mediator', 'admin'].some((r) => has(viewer, r)));
}

/** A county administrator sets studios up and keeps their members (as with the other county registers). */
export function mayKeepStudios(viewer: Viewer): boolean {
	return viewer.place.kind === 'county' && has(viewer, 'admin');
}

/** A county or township supervisor (not department staff) assigns matters to studios. */
export function mayAssignStudios(viewer: Viewer): boolean {
	return viewer.department === null && viewer.place.kind !== 'village' && has(viewer, 'supervisor');
}

const CLOSED: readonly CaseStatus[] = ['not_accepted', 'concluded', 'follow_up', 'archived'];

/** A matter still being worked on may go to a studio; a refused, concluded or filed one may not. */
export function isOpenForStudio(status: CaseStatus): boolean {
	return !CLOSED.includes(status);
}

/**
 * Whether this supervisor may give this matter to this studio: the matter arose within the
 * supervisor's place, the studio is on the supervisor's line, and the matter arose within the
 * studio's place (a township studio takes its township's matters, a county studio the county's).
 */
export function mayAssignTo(viewer: Viewer, caseOrigin: string, studioPlacePath: string): boolean {
	return (
		mayAssignStudios(viewer) &&
		isAtOrBelow(caseOrigin, viewer.place.path) &&
		onOneLine(viewer.place.path, studioPlacePath) &&
		isAtOrBelow(caseOrigin, studioPlacePath)
	);
}

/** A share as a percentage with one decimal, or null with nothing to divide by. */
export function share(part: number, whole: number): number | null {
	return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
