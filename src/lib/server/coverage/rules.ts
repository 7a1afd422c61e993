import type { PlaceKind, RoleName, Viewer } from '../../types';

/**
 * Pure rules of the "一村一法律明白人、一乡一法律顾问" coverage view (issue 13, part 5). Nothing here
 * touches the database.
 */

/** The role each kind of place is promised: a legal-literate villager per village, an adviser per township. */
export const PROMISED_ROLE: Partial<Record<PlaceKind, RoleName>> = {
	village: 'legal_villager',
	township: 'legal_advisor'
};

/**
 * Administrators and supervisors of the county or a township see the coverage of their area. A village
 * is one place: whether it has its 法律明白人 is answered by its township's view.
 */
export function mayViewCoverage(viewer: Viewer): boolean {
	return viewer.place.kind !== 'village' && viewer.roles.some((r) => r.role === 'supervisor' || r.role === 'admin');
}

/** Only administrators fix a gap (they own the people pages); supervisors see it and follow it up. */
export function mayFixCoverage(viewer: Viewer): boolean {
	return viewer.roles.some((r) => r.role === 'admin');
}
